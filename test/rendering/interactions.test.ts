import {
  decodeQuestionButtonValue,
  encodeQuestionButtonValue,
  type QuestionButtonValue,
} from '../../src/rendering/interactions';

describe('question button values', () => {
  it('round-trips a value', () => {
    const value: QuestionButtonValue = { v: 1, requestId: 'req-1', index: 3, label: 'Expected load? 😀 <&>' };
    expect(decodeQuestionButtonValue(encodeQuestionButtonValue(value))).toEqual({ ok: true, value });
  });

  it('shortens a long label so the value fits in 2,000 chars and still decodes', () => {
    for (const label of ['x'.repeat(5000), '"'.repeat(3000), '\u0001'.repeat(3000), '😀'.repeat(3000)]) {
      const encoded = encodeQuestionButtonValue({ v: 1, requestId: 'req-1', index: 0, label });
      expect(encoded.length).toBeLessThanOrEqual(2000);
      const decoded = decodeQuestionButtonValue(encoded);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) {
        expect(label.startsWith(decoded.value.label)).toBe(true);
        expect(decoded.value.label.length).toBeGreaterThan(0);
      }
    }
  });

  it.each([
    ['empty', ''],
    ['null', 'null'],
    ['truncated JSON', '{'],
    ['an array', '[]'],
    ['a number', '42'],
    ['a 10k string', 'a'.repeat(10_000)],
    [
      '10k of valid-looking JSON',
      JSON.stringify({ v: 1, requestId: 'r', index: 0, label: 'x'.repeat(10_000) }),
    ],
    ['wrong version', JSON.stringify({ v: 2, requestId: 'r', index: 0, label: 'x' })],
    ['missing request id', JSON.stringify({ v: 1, index: 0, label: 'x' })],
    ['empty request id', JSON.stringify({ v: 1, requestId: '', index: 0, label: 'x' })],
    ['negative index', JSON.stringify({ v: 1, requestId: 'r', index: -1, label: 'x' })],
    ['fractional index', JSON.stringify({ v: 1, requestId: 'r', index: 1.5, label: 'x' })],
    ['string index', JSON.stringify({ v: 1, requestId: 'r', index: '0', label: 'x' })],
    ['label not a string', JSON.stringify({ v: 1, requestId: 'r', index: 0, label: null })],
    ['a prototype-pollution attempt', '{"__proto__":{"v":1},"requestId":"r","index":0,"label":"x"}'],
  ])('refuses %s without throwing', (_name, raw) => {
    const decoded = decodeQuestionButtonValue(raw);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason.length).toBeGreaterThan(0);
  });
});
