import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Harness, ROOT, startHarness } from '../helpers/architect-harness';
import { CHANNEL, eventCallback, slashCommandBody, USER } from '../helpers/slack-payloads';
import { signedPost } from '../helpers/slack-signing';

/** The seed agent next to one whose name has spaces. */
function agentsDirWithStartupCto(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'architect-agents-'));
  cpSync(path.join(ROOT, 'agents/backend-architect.md'), path.join(dir, 'backend-architect.md'));
  cpSync(
    path.join(ROOT, 'test/fixtures/agents/claude-code-loads/startup-cto.md'),
    path.join(dir, 'startup-cto.md'),
  );
  return dir;
}

describe('an agent whose name has spaces, asked for from Slack', () => {
  let h: Harness;
  let dir: string;

  beforeEach(async () => {
    dir = agentsDirWithStartupCto();
    h = await startHarness({ AGENTS_DIR: dir });
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  });
  afterEach(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const command = async (text: string) => {
    const res = await signedPost(h.eventsUrl, slashCommandBody(text), {
      contentType: 'application/x-www-form-urlencoded',
    });
    return (await res.json()) as { text: string };
  };

  /** The placeholder the worker posts in the request's thread. */
  const placeholderText = async () => {
    const placeholder = await h.slack.waitFor(() =>
      h.slack.callsTo('chat.postMessage').find((c) => c.params.thread_ts),
    );
    return JSON.stringify(placeholder.params);
  };

  it.each([
    ['by its slug', 'review --agent startup-cto Should we build our own auth?'],
    ['quoted', 'review --agent "Startup CTO" Should we build our own auth?'],
    ['in another case', 'review --agent "startup cto" Should we build our own auth?'],
  ])('/architect reaches it %s, and shows its name as written', async (_how, text) => {
    const ack = await command(text);
    expect(ack.text).toContain('*Startup CTO* will answer');
    expect(await placeholderText()).toContain('Startup CTO');
    const [request] = await h.claude.waitForRequests(1);
    expect(JSON.stringify(request?.body.system)).toContain('CTO of a twelve-person startup');
    expect(JSON.stringify(request?.body.messages)).toContain('Should we build our own auth?');
  });

  it('@Architect reaches it by its quoted name', async () => {
    const ts = h.slack.addMessage(CHANNEL, {
      user: USER,
      text: '<@UBOT> --agent "Startup CTO" Kafka or SQS?',
    });
    await signedPost(
      h.eventsUrl,
      eventCallback({
        type: 'app_mention',
        user: USER,
        text: '<@UBOT> --agent "Startup CTO" Kafka or SQS?',
        ts,
        channel: CHANNEL,
      }),
    );
    expect(await placeholderText()).toContain('Startup CTO');
    const [request] = await h.claude.waitForRequests(1);
    expect(JSON.stringify(request?.body.system)).toContain('CTO of a twelve-person startup');
  });

  it('an unquoted name with spaces is not taken for a longer name', async () => {
    const ack = await command('review --agent Startup CTO should we build auth?');
    expect(ack.text).toContain('There is no agent called `Startup`');
    expect(ack.text).toContain('Startup CTO');
  });
});
