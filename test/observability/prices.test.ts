import { costUsd, LIST_PRICES_USD_PER_MTOK, modelFamily } from '../../src/observability/prices';

const none = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };

describe('list prices', () => {
  it('knows the family of every model id an alias resolves to, and none of an unknown one', () => {
    expect(modelFamily('claude-sonnet-5-5')).toBe('sonnet');
    expect(modelFamily('claude-opus-5-5')).toBe('opus');
    expect(modelFamily('claude-haiku-5-5')).toBe('haiku');
    expect(modelFamily('claude-fable-5-2')).toBe('fable');
    expect(modelFamily('us.anthropic.claude-sonnet-5-5-v1:0')).toBe('sonnet');
    expect(modelFamily('gpt-5')).toBeUndefined();
    expect(costUsd('gpt-5', { ...none, input: 1000 })).toBeUndefined();
  });

  it('prices each kind of token at its own rate', () => {
    // A million tokens of each kind cost exactly the table's rates, added up.
    const million = { input: 1e6, output: 1e6, cacheWrite5m: 1e6, cacheWrite1h: 1e6, cacheRead: 1e6 };
    const s = LIST_PRICES_USD_PER_MTOK.sonnet;
    expect(costUsd('claude-sonnet-5-5', million)).toBeCloseTo(
      s.input + s.output + s.cacheWrite5m + s.cacheWrite1h + s.cacheRead,
    );
    // 10k tokens read from the cache cost less than the same tokens as input, and writing more.
    const read = costUsd('claude-sonnet-5-5', { ...none, cacheRead: 10_000 }) ?? Number.NaN;
    const input = costUsd('claude-sonnet-5-5', { ...none, input: 10_000 }) ?? Number.NaN;
    const write1h = costUsd('claude-sonnet-5-5', { ...none, cacheWrite1h: 10_000 }) ?? Number.NaN;
    expect(read).toBeLessThan(input);
    expect(write1h).toBeGreaterThan(input);
  });

  it('keeps the cache-write premiums the API charges: 1.25× input for 5 minutes, 2× for an hour', () => {
    for (const p of Object.values(LIST_PRICES_USD_PER_MTOK)) {
      expect(p.cacheWrite5m).toBeCloseTo(p.input * 1.25);
      expect(p.cacheWrite1h).toBeCloseTo(p.input * 2);
      expect(p.cacheRead).toBeLessThanOrEqual(p.input * 0.1);
    }
  });
});
