import type Anthropic from '@anthropic-ai/sdk';
import { loadConfig } from '../../src/config/config';
import { buildMessages, buildSystemPrompt } from '../../src/consultation/prompt';
import { cacheBreakpoint } from '../../src/consultation/prompt-caching';
import { threadMessage } from '../helpers/thread-messages';

const msg = threadMessage;

const blocks = (turn: Anthropic.MessageParam | undefined) =>
  typeof turn?.content === 'string' ? [] : (turn?.content ?? []);
const marked = (messages: Anthropic.MessageParam[]) =>
  messages.flatMap((m) => blocks(m)).filter((b) => 'cache_control' in b && b.cache_control);

const MINIMAL_ENV = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', ANTHROPIC_API_KEY: 'k' };

describe('prompt caching breakpoints', () => {
  it('marks the system prompt', () => {
    const system = buildSystemPrompt('You are an architect.');
    expect(system.at(-1)?.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
  });

  it('marks the end of the thread, just before the request, and nothing else', () => {
    const messages = buildMessages(
      [
        msg({ ts: '1.1', text: 'Design: one Postgres' }),
        msg({ ts: '1.2', text: 'Earlier review', fromThisBot: true }),
        msg({ ts: '1.3', text: 'What about caching?', authorName: 'bob' }),
      ],
      { trigger: 'mention', requesterName: 'carol', text: 'ready?' },
    );
    const last = blocks(messages.at(-1));
    expect(last.at(-1)).toMatchObject({ type: 'text', text: expect.stringContaining('[carol] asked') });
    expect(last.at(-1)).not.toHaveProperty('cache_control');
    expect(last.at(-2)).toMatchObject({
      text: expect.stringContaining('kind="person"'),
      cache_control: { type: 'ephemeral', ttl: '1h' },
    });
    expect(marked(messages)).toHaveLength(1);
  });

  it('keeps one block per message, so a longer thread repeats the earlier request’s prefix exactly', () => {
    const request = { trigger: 'mention' as const, requesterName: 'carol', text: 'ready?' };
    const first = buildMessages(
      [msg({ ts: '1.1', text: 'Design' }), msg({ ts: '1.2', text: 'Hmm' })],
      request,
    );
    const later = buildMessages(
      [msg({ ts: '1.1', text: 'Design' }), msg({ ts: '1.2', text: 'Hmm' }), msg({ ts: '1.3', text: 'More' })],
      request,
    );
    const strip = (b: Anthropic.ContentBlockParam) => {
      const { cache_control: _ignored, ...rest } = b as Anthropic.TextBlockParam;
      return rest;
    };
    expect(blocks(later[0]).slice(0, 2).map(strip)).toEqual(blocks(first[0]).slice(0, 2).map(strip));
  });

  it('marks the previous turn when the request is the last turn’s only block', () => {
    const messages = buildMessages([msg({ text: 'Earlier review', fromThisBot: true })], {
      trigger: 'mention',
      requesterName: 'carol',
      text: '',
    });
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(blocks(messages[1])[0]).toHaveProperty('cache_control', { type: 'ephemeral', ttl: '1h' });
  });

  it('puts files after the text of the message that shared them', () => {
    const image: Anthropic.ImageBlockParam = {
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: 'AAAA' },
    };
    const messages = buildMessages([msg({ text: '', attachments: [image] })], {
      trigger: 'mention',
      requesterName: 'alice',
      text: 'review',
    });
    expect(blocks(messages[0]).slice(0, 2)).toEqual([
      { type: 'text', text: expect.stringContaining('(shared the files that follow)') },
      { ...image, cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
  });
  it('keeps the breakpoints for an hour by default, and for the API’s five minutes with PROMPT_CACHE_TTL=5m', () => {
    expect(cacheBreakpoint()).toEqual({ type: 'ephemeral', ttl: '1h' });
    expect(cacheBreakpoint('5m')).toEqual({ type: 'ephemeral' });
    expect(loadConfig({ ...MINIMAL_ENV, PROMPT_CACHE_TTL: '5m' }).context.cacheTtl).toBe('5m');
    expect(() => loadConfig({ ...MINIMAL_ENV, PROMPT_CACHE_TTL: '2h' })).toThrow(
      /PROMPT_CACHE_TTL must be "5m" or "1h"/,
    );
  });
});
