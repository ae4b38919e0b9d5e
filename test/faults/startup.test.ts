import { SlackApiFake } from '../fakes/slack-api-fake';
import { ChildApp } from '../helpers/child-app';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '../helpers/redis-keys';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signing';

describe('start-up against a Slack that refuses the token or cannot be reached', () => {
  let slack: SlackApiFake;
  const children: ChildApp[] = [];
  beforeAll(async () => {
    slack = await SlackApiFake.start();
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
    await slack.close();
    await deleteKeysWithPrefix('architect-test-startup');
  });

  const start = (env: Record<string, string>) => {
    const child = ChildApp.spawn({
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_MODE: 'http',
      ANTHROPIC_API_KEY: 'sk-ant-test',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: 'architect-test-startup',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    });
    children.push(child);
    return child;
  };

  it.each(['web', 'worker', 'all'])(
    'ROLE=%s with a token Slack refuses exits 1 and says so',
    async (role) => {
      const child = start({ ROLE: role, SLACK_BOT_TOKEN: 'xoxb-wrong-token', SLACK_API_URL: slack.apiUrl });
      expect(await child.exited).toBe(1);
      const said = child.lines.map((l) => String(l.msg)).join('\n');
      expect(said).toContain('Slack did not accept SLACK_BOT_TOKEN');
      expect(said).not.toContain('xoxb-wrong-token');
    },
  );

  it('with no Slack to reach, exits 1 naming the address it tried', async () => {
    const child = start({
      ROLE: 'web',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      SLACK_TIMEOUT_MS: '500',
    });
    expect(await child.exited).toBe(1);
    expect(child.lines.map((l) => String(l.msg)).join('\n')).toContain(
      'Could not reach Slack at http://127.0.0.1:9/api/',
    );
  });
});
