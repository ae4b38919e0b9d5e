import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { buildArchitect } from '../src/architect';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { AnthropicFake } from './fakes/anthropic-fake';
import { SlackApiFake } from './fakes/slack-api-fake';
import { fakesEnv } from './helpers/architect-harness';
import { deleteKeysWithPrefix } from './helpers/redis-keys';

describe('buildArchitect', () => {
  let slack: SlackApiFake;
  let claude: AnthropicFake;
  let taken: Server;
  const prefix = `architect-test-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    slack = await SlackApiFake.start();
    claude = await AnthropicFake.start();
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    await Promise.all([slack.close(), claude.close()]);
    await deleteKeysWithPrefix(prefix);
  });

  it('builds the whole app (ingress and worker) without binding its port, and closes it', async () => {
    const address = taken.address();
    if (address === null || typeof address === 'string') throw new Error('the blocking server has no port');
    // PORT is held by another server: building must not try to listen on it.
    const config = loadConfig({
      ...fakesEnv(slack, claude, prefix),
      PORT: String(address.port),
      LOG_LEVEL: 'silent',
    });

    const built = await buildArchitect(config, createLogger({ level: 'silent', pretty: false }));

    expect(built.app.http.listening).toBe(false);
    expect(built.app.admin).toBeUndefined();
    expect(built.worker).toBeDefined();
    await expect(built.close()).resolves.toBeUndefined();
    expect(built.app.http.listening).toBe(false);
  });
});
