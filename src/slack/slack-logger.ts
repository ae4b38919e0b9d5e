import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import { errorMessage } from '../lib/error-message';
import type { Logger } from '../logger';

/**
 * Adapts the process's pino logger to the interface Bolt and the Slack SDKs log through, so their
 * lines come out as the same JSON. Slack's INFO chatter goes to debug: operators want our lines at info.
 */
export function toSlackLogger(logger: Logger): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => errorMessage(m)).join(' ');
  return {
    debug: (...msg) => logger.debug(join(msg)),
    info: (...msg) => logger.debug(join(msg)),
    warn: (...msg) => logger.warn(join(msg)),
    error: (...msg) => logger.error(join(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
