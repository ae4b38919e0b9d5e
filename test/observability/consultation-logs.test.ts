import { harnessForEachTest } from '../helpers/architect-harness';
import { mention, slashCommand } from '../helpers/slack-actions';
import { CHANNEL, TEAM } from '../helpers/slack-payloads';
import { waitForCommandThread, waitForReview } from '../helpers/waits';

/** pino's number for `info`: lines at this level or above reach production logs. */
const INFO = 30;
const IDS = ['requestId', 'trigger', 'agent', 'teamId', 'channelId'] as const;

describe('log lines of a consultation', () => {
  const app = harnessForEachTest();

  it('carry the ids, and never the message text at info level or above', async () => {
    const { h } = app;
    const design = 'Zanzibar-style authz in a sidecar written in Lisp';
    const question = 'should the ledger use quokka-sharding';
    await slashCommand(h, `review ${design}`);
    await waitForReview(h, (await waitForCommandThread(h)).threadTs);

    await waitForReview(h, await mention(h, { text: `<@UBOT> ${question}` }));
    // The worker logs "review delivered" right after its last Slack call.
    await h.slack.waitFor(() => h.logs.lines.filter((l) => l.msg === 'review delivered').length === 2);

    const visible = h.logs.raw.filter((_, i) => Number(h.logs.lines[i]?.level) >= INFO);
    for (const line of visible) {
      expect(line).not.toContain('Zanzibar');
      expect(line).not.toContain('quokka');
    }

    const consultationLines = h.logs.lines.filter((l) => l.requestId !== undefined);
    for (const msg of ['consultation queued', 'consulting Claude', 'review delivered']) {
      expect(consultationLines.filter((l) => l.msg === msg)).toHaveLength(2);
    }
    for (const line of consultationLines) {
      for (const id of IDS)
        expect({ msg: line.msg, [id]: line[id] }).toEqual({ msg: line.msg, [id]: expect.any(String) });
      expect(line.teamId).toBe(TEAM);
      expect(line.channelId).toBe(CHANNEL);
    }
    expect(new Set(consultationLines.map((l) => l.trigger))).toEqual(new Set(['command', 'mention']));
    expect(new Set(consultationLines.map((l) => l.requestId)).size).toBe(2);
    // Every line is the same JSON, with the service name, whoever wrote it (Bolt and the Slack SDK included).
    expect(h.logs.lines.every((l) => l.service === 'architect' && typeof l.level === 'number')).toBe(true);
    const components = new Set(h.logs.lines.map((l) => l.component));
    expect([...components]).toEqual(expect.arrayContaining(['bolt', 'slack-web-api']));
  });

  it('carry the ids when an attempt fails outside the processor (BullMQ’s failed event)', async () => {
    const h = await app.restart({ JOB_ATTEMPTS: '1' });
    // The thread cannot be read: the attempt fails in the worker and BullMQ reports it.
    h.slack.failNext('conversations.replies', { error: 'fatal_error', times: 20 });
    await mention(h, { text: '<@UBOT> quokka' });
    const failed = await h.slack.waitFor(() =>
      h.logs.lines.find((l) => l.msg === 'consultation attempt failed'),
    );
    expect(failed).toMatchObject({
      trigger: 'mention',
      agent: 'backend-architect',
      teamId: TEAM,
      channelId: CHANNEL,
    });
    expect(failed.requestId).toEqual(failed.jobId);
    expect(JSON.stringify(failed)).not.toContain('quokka');
  });
});
