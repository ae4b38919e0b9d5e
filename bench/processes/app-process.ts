import { startArchitect } from '../../src/architect';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { failAndExit, send, serveParent } from './ipc';

/**
 * The real app, as `node dist/main.js` runs it (compiled JS, same config and logger), plus an IPC line
 * to the benchmark: its port once started, its memory on request, and a clean stop.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // Logs go to stdout exactly as in production; the benchmark points stdout at /dev/null.
  const logger = createLogger({ level: config.logLevel, pretty: false });
  const architect = await startArchitect(config, logger);
  serveParent(() => architect.stop());
  await send({ type: 'ready', port: architect.port });
}

main().catch(failAndExit);
