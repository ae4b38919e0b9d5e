import { Socket } from 'node:net';
import { cutText, estimateTokens, fitThread, omissionNote } from '../../src/consultation/token-budget';

interface Item {
  id: string;
  text: string;
}

const note = (count: number): Item => ({ id: 'note', text: omissionNote(count) });
const thread = (n: number, chars: number): Item[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i}`, text: `message ${i} `.padEnd(chars, 'x') }));
const tokensOf = (items: Item[]) => items.reduce((sum, i) => sum + estimateTokens(i.text) + 8, 0);

describe('token budget', () => {
  it('estimates locally and synchronously: fitting 1,000 messages makes no network call', () => {
    // Every way out of the process: fetch, and the sockets under any other client. (How fast it is,
    // is `npm run bench`'s to say.)
    const fetchSpy = jest.spyOn(globalThis, 'fetch');
    const connectSpy = jest.spyOn(Socket.prototype, 'connect');
    try {
      const result = fitThread(thread(1000, 2000), { budget: 50_000, note });
      expect(result).not.toBeInstanceOf(Promise);
      expect(result.omitted).toBeGreaterThan(0);
      expect(tokensOf(result.items)).toBeLessThanOrEqual(50_000);
      expect(fetchSpy).not.toHaveBeenCalled();
      expect(connectSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
      connectSpy.mockRestore();
    }
  });

  it('estimates conservatively: ASCII at about 3.5 characters a token, other text a token per unit', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('a'.repeat(350))).toBe(100);
    expect(estimateTokens('設計'.repeat(50))).toBe(100);
  });

  it('keeps a thread that fits as it is', () => {
    const items = thread(10, 100);
    expect(fitThread(items, { budget: 10_000, note })).toEqual({ items, omitted: 0, cut: 0 });
  });

  it('keeps the root and the newest messages whole and notes how many in between were omitted', () => {
    const items = thread(100, 1000);
    const { items: kept, omitted, cut } = fitThread(items, { budget: 10_000, note });
    expect(cut).toBe(0);
    expect(kept[0]).toEqual(items[0]);
    expect(kept[1]).toEqual(note(omitted));
    expect(kept[1]?.text).toMatch(/^\[\d+ earlier messages omitted\]$/);
    expect(kept.slice(2)).toEqual(items.slice(items.length - (kept.length - 2)));
    expect(kept.length - 2 + omitted + 1).toBe(items.length);
    expect(tokensOf(kept)).toBeLessThanOrEqual(10_000);
  });

  it('cuts a single message larger than the budget with a marked note, never sending it whole', () => {
    const [alone] = thread(1, 100_000);
    const { items, cut } = fitThread([alone as Item], { budget: 1000, note });
    expect(cut).toBe(1);
    expect(items[0]?.text.startsWith('message 0')).toBe(true);
    expect(items[0]?.text).toMatch(/\[message cut: about [\d,]+ tokens long/);
    expect(estimateTokens(items[0]?.text ?? '')).toBeLessThanOrEqual(1000);
  });

  it('cuts an oversized root so that the newest message still fits beside it', () => {
    const items = [{ id: 'root', text: 'design '.repeat(20_000) }, ...thread(5, 200)];
    const fitted = fitThread(items, { budget: 4000, note });
    expect(fitted.items[0]?.text).toMatch(/\[message cut:/);
    expect(fitted.items.at(-1)).toEqual(items.at(-1));
    expect(tokensOf(fitted.items)).toBeLessThanOrEqual(4000);
  });

  it('counts extra costs (attached files) against the budget', () => {
    const items = thread(10, 100);
    const fitted = fitThread(items, { budget: 1000, note, extraCost: (i) => (i.id === 'm5' ? 900 : 0) });
    expect(fitted.items.map((i) => i.id)).not.toContain('m5');
    expect(fitted.omitted).toBeGreaterThan(0);
  });

  it('cutText keeps the beginning and does not split a surrogate pair', () => {
    const cut = cutText('🙂'.repeat(1000), 100);
    expect(cut).toMatch(/\[message cut:/);
    expect(cut.split('\n')[0]).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(cutText('short', 100)).toBe('short');
  });
});
