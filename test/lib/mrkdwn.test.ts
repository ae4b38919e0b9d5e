import { emphasize, escapeMrkdwn, safePrefix, splitIntoChunks, truncate } from '../../src/lib/mrkdwn';

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('<!channel> & <https://evil|x> *bold* _it_')).toBe(
      '&lt;!channel&gt; &amp; &lt;https://evil|x&gt; *bold* _it_',
    );
  });
});

describe('truncate', () => {
  it('leaves short text alone and cuts long text with an ellipsis', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 6)).toBe('hello…');
  });

  it('never cuts an emoji or an escape entity in half', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate(escapeMrkdwn('a & b'), 5)).toBe('a …');
    expect(safePrefix('x&amp;', 4)).toBe('x');
  });
});

describe('emphasize', () => {
  it('wraps each non-blank line and drops blank ones', () => {
    expect(emphasize('_', ' one \n\n two')).toBe('_one_\n_two_');
    expect(emphasize('*', '  ')).toBe('');
  });
});

describe('splitIntoChunks', () => {
  it('keeps short text as one chunk', () => {
    expect(splitIntoChunks('a\nb', 100)).toEqual(['a\nb']);
  });

  it('splits at line boundaries', () => {
    expect(splitIntoChunks('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
  });

  it('splits an over-long line between words, and hard-cuts with an ellipsis when there are none', () => {
    expect(splitIntoChunks('alpha beta gamma delta', 11)).toEqual(['alpha beta', 'gamma delta']);
    expect(splitIntoChunks('x'.repeat(25), 10)).toEqual(['xxxxxxxxx…', 'xxxxxxxxx…', 'xxxxxxx']);
  });

  it('drops blank chunks', () => {
    expect(splitIntoChunks('\n\n  \n', 10)).toEqual([]);
  });
});
