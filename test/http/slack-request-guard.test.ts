import fc from 'fast-check';
import { type Harness, startHarness } from '../helpers/architect-harness';
import { eventCallback, slashCommandBody } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';
import { rawConnect } from './raw-socket';

const FORM = { contentType: 'application/x-www-form-urlencoded' as const };

describe('requests to /slack/events that are malformed, hostile or forged', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ROLE: 'web' });
  });
  afterAll(async () => {
    await h.stop();
  });

  const alive = async () => expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);

  it.each([
    ['JSON null', 'null'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"hello"'],
    ['an object without a type', '{"event":{}}'],
    ['not JSON at all', '{not json'],
  ])('a signed body that is %s gets 400 and the process stays up', async (_name, body) => {
    const res = await signedPost(h.eventsUrl, body);
    expect(res.status).toBe(400);
    await alive();
  });

  it.each([
    ['a payload that is not JSON', 'payload=%7Bnope'],
    ['a payload that is null', 'payload=null'],
    ['neither a command nor a payload', 'hello=world'],
  ])('a signed form with %s gets 400', async (_name, body) => {
    expect((await signedPost(h.eventsUrl, body, FORM)).status).toBe(400);
    await alive();
  });

  it('refuses timestamps more than five minutes off, in the past or in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const body = slashCommandBody('help');
    expect((await signedPost(h.eventsUrl, body, { ...FORM, timestamp: now + 10 * 60 })).status).toBe(401);
    expect((await signedPost(h.eventsUrl, body, { ...FORM, timestamp: now - 10 * 60 })).status).toBe(401);
    expect((await signedPost(h.eventsUrl, body, { ...FORM, timestamp: now + 60 })).status).toBe(200);
  });

  it('refuses requests without signature headers', async () => {
    const res = await fetch(h.eventsUrl, {
      method: 'POST',
      body: '{"type":"event_callback"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await signedPost(h.eventsUrl, slashCommandBody(`review ${'x'.repeat(1_100_000)}`), FORM);
    expect(res.status).toBe(413);
    await alive();
  });

  it('refuses a declared Content-Length over the limit with 413 before the body is sent, and hangs up', async () => {
    const port = Number(new URL(h.baseUrl).port);
    // Declares a gigabyte and sends one byte: the answer must not wait for (or drain) the rest.
    const client = await rawConnect(
      port,
      'POST /slack/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{',
    );
    const seen = await client.closed;
    expect(seen).toMatch(/^HTTP\/1\.1 413 /);
    expect(seen).toContain('request body too large');
    await alive();
  });

  it('answers Slack’s URL verification and SSL check', async () => {
    const res = await signedPost(
      h.eventsUrl,
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 't' }),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('abc123');
    const ssl = await fetch(h.eventsUrl, {
      method: 'POST',
      body: 'ssl_check=1&token=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(ssl.status).toBe(200);
  });

  it('acknowledges unknown event types without doing anything', async () => {
    const res = await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'pin_added', user: 'U1', channel_id: 'C1' }),
    );
    expect(res.status).toBe(200);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('never answers 5xx or dies, whatever signed JSON or form arrives (property test)', async () => {
    const json = fc.jsonValue().map((v) => JSON.stringify(v));
    const eventish = fc
      .record({
        type: fc.constantFrom('event_callback', 'block_actions', 'view_submission', 'shortcut', 'x'),
        event: fc.jsonValue(),
      })
      .map((v) => JSON.stringify(v));
    const form = fc
      .record({
        payload: fc.oneof(json, eventish, fc.string()),
        command: fc.option(fc.string(), { nil: undefined }),
      })
      .map((f) =>
        new URLSearchParams(
          Object.entries(f).filter((e): e is [string, string] => e[1] !== undefined),
        ).toString(),
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, eventish), form, async (jsonBody, formBody) => {
        const a = await signedPost(h.eventsUrl, jsonBody);
        const b = await signedPost(h.eventsUrl, formBody, FORM);
        return a.status < 500 && b.status < 500;
      }),
      { numRuns: 60 },
    );
    await alive();
  });
});
