import { ProgressLine } from '../../src/cli/progress-line';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 40, write: (text: string) => writes.push(text) > 0 };
}

test('on a terminal: a line rewritten in place with the seconds so far, erased at the end', () => {
  const err = stream(true);
  let now = 10_000;
  const progress = new ProgressLine(err, { now: () => now });
  progress.start('Reviewing orders.md…', 60_000);
  now += 12_400;
  progress.update('Writing the review…');
  progress.render();
  progress.stop();

  expect(err.writes).toEqual([
    '\r\u001b[2K⠋ Reviewing orders.md… 0 s',
    '\r\u001b[2K⠙ Writing the review… 12 s',
    '\r\u001b[2K',
  ]);
});

test('a line wider than the terminal is cut, so it never wraps onto a second line', () => {
  const err = stream(true);
  const progress = new ProgressLine(err, { now: () => 0 });
  progress.start('Reviewing docs/design/a-very-long-folder-name/orders.design.md', 60_000);
  progress.stop();
  expect(err.writes[0]?.replace('\r\u001b[2K', '')).toHaveLength(39);
});

test('anywhere but a terminal (CI, a pipe), nothing is written', () => {
  const err = stream(false);
  const progress = new ProgressLine(err, { now: () => 0 });
  progress.start('Reviewing orders.md…');
  progress.render();
  progress.stop();
  expect(err.writes).toEqual([]);
});
