import { parseCommandText, parseMentionText } from '../../src/ingress/request-text';

describe('slash command text', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['agents', { kind: 'agents' }],
  ])('%j asks for %j', (text, expected) => {
    expect(parseCommandText(text)).toEqual(expected);
  });

  it('reads `review` with and without an agent, keeping the design verbatim', () => {
    expect(parseCommandText('review We split the monolith:\n- orders\n- billing')).toEqual({
      kind: 'review',
      agentName: undefined,
      text: 'We split the monolith:\n- orders\n- billing',
      saidReview: true,
    });
    expect(parseCommandText('review --agent security-reviewer Our auth flow')).toEqual({
      kind: 'review',
      agentName: 'security-reviewer',
      text: 'Our auth flow',
      saidReview: true,
    });
    expect(parseCommandText('--agent=data-architect should we shard?')).toEqual({
      kind: 'review',
      agentName: 'data-architect',
      text: 'should we shard?',
    });
  });

  it('leaves a question without `review` to its words (no saidReview: it gets an answer)', () => {
    expect(parseCommandText('how should we cache sessions?')).toEqual({
      kind: 'review',
      agentName: undefined,
      text: 'how should we cache sessions?',
    });
  });

  it('keeps words like "help" inside a question', () => {
    expect(parseCommandText('help me pick a queue')).toMatchObject({
      kind: 'review',
      text: 'help me pick a queue',
    });
  });

  it('reports `--agent` without a name', () => {
    expect(parseCommandText('review --agent')).toMatchObject({ kind: 'invalid' });
    expect(parseCommandText('review --agent "" my design')).toMatchObject({ kind: 'invalid' });
  });

  it.each([
    ['review --agent "Startup CTO" Should we build auth?'],
    ['review --agent=“Startup CTO” Should we build auth?'],
    ["--agent 'Startup CTO' Should we build auth?"],
    ['review --agent ‘Startup CTO’ Should we build auth?'],
  ])('reads a quoted agent name with spaces: %s', (text) => {
    expect(parseCommandText(text)).toMatchObject({
      kind: 'review',
      agentName: 'Startup CTO',
      text: 'Should we build auth?',
    });
  });

  it('returns an empty text for `review` alone, so the caller can show usage', () => {
    expect(parseCommandText('review')).toEqual({
      kind: 'review',
      agentName: undefined,
      text: '',
      saidReview: true,
    });
  });
});

describe('mention text', () => {
  it('removes the bot mention and reads the flag', () => {
    expect(parseMentionText('<@UBOT> --agent data-architect is this schema ok?', 'UBOT')).toEqual({
      kind: 'review',
      agentName: 'data-architect',
      text: 'is this schema ok?',
    });
  });

  it('reads a quoted agent name with spaces', () => {
    expect(parseMentionText('<@UBOT> --agent "Python Backend Expert" is this ok?', 'UBOT')).toEqual({
      kind: 'review',
      agentName: 'Python Backend Expert',
      text: 'is this ok?',
    });
  });

  it('keeps other people mentioned in the question', () => {
    expect(parseMentionText('<@UBOT> what do you think of <@U0BOB>’s plan?', 'UBOT')).toMatchObject({
      text: 'what do you think of <@U0BOB>’s plan?',
    });
  });

  it('reads a bare mention as a request to review the thread', () => {
    expect(parseMentionText('<@UBOT>', 'UBOT')).toEqual({ kind: 'review', agentName: undefined, text: '' });
  });
});
