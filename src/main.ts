import 'dotenv/config';
import { type BuiltArchitect, buildArchitect } from './architect';
import { loadConfig } from './config/config';
import { ErrorCode, isCodedError } from './errors';
import { errorMessage } from './lib/error-message';
import { createLogger } from './logger';

/** Process entry point: configuration, start-up, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (isCodedError(error, ErrorCode.ConfigInvalid)) {
      process.stderr.write(`${error.message}\nSee .env.example and README.md for every setting.\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  let architect: BuiltArchitect;
  try {
    architect = await buildArchitect(config, logger);
    await architect.listen();
  } catch (error) {
    // Architect's own errors say what to fix (exit 1); anything else is a bug (exit 2).
    const known = error instanceof Error && 'code' in error;
    logger.fatal({ err: errorMessage(error) }, 'start-up failed');
    process.stderr.write(`Architect could not start: ${errorMessage(error)}\n`);
    process.exit(known ? 1 : 2);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    architect.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
