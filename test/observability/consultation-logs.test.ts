import { type Harness, startHarness } from '../helpers/architect-harness';
import { CHANNEL, eventCallback, slashCommandBody, TEAM, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

/** pino's number for `info`: lines at this level or above reach production logs. */
const INFO = 30;
const IDS = ['requestId', 'trigger', 'agent', 'teamId', 'channelId'] as const;

describe('log lines of a consultation', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  });
  afterEach(async () => {
    await h.stop();
  });

  const reviewIn = (threadTs: string) =>
    h.slack.waitFor(() =>
      h.slack
        .threadMessages(CHANNEL, threadTs)
        .find((m) => m.ts !== threadTs && /Architecture review/.test(JSON.stringify(m.blocks))),
    );

  it('carry the ids, and never the message text at info level or above', async () => {
    const design = 'Zanzibar-style authz in a sidecar written in Lisp';
    const question = 'should the ledger use quokka-sharding';
    await signedPost(h.eventsUrl, slashCommandBody(`review ${design}`), {
      contentType: 'application/x-www-form-urlencoded',
    });
    const placeholder = await h.slack.waitFor(() =>
      h.slack.callsTo('chat.postMessage').find((c) => c.params.thread_ts),
    );
    await reviewIn(String(placeholder.params.thread_ts));

    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: `<@UBOT> ${question}` });
    await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'app_mention', user: USER, text: `<@UBOT> ${question}`, ts, channel: CHANNEL }),
    );
    await reviewIn(ts);
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
    await h.stop();
    h = await startHarness({ JOB_ATTEMPTS: '1' });
    h.slack.failNext('chat.update', { error: 'cant_update_message', times: 20 });
    const ts = h.slack.addMessage(CHANNEL, { user: USER, text: '<@UBOT> quokka' });
    await signedPost(
      h.eventsUrl,
      eventCallback({ type: 'app_mention', user: USER, text: '<@UBOT> quokka', ts, channel: CHANNEL }),
    );
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
