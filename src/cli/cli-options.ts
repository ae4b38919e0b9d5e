import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { CliError } from '../standalone/cli-error';

export const FailOnSchema = z.enum(['blocker', 'major'], {
  message: '--fail-on must be "blocker" or "major"',
});

/** Options `review` and `pr-review` share. */
export const REVIEW_OPTIONS = {
  agent: { type: 'string' },
  model: { type: 'string' },
  'fail-on': { type: 'string' },
  adrs: { type: 'string' },
  'no-adrs': { type: 'boolean' },
} as const;

/** util.parseArgs, with its errors as one-line CliErrors. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new CliError(
      error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error),
    );
  }
}

/** A value checked against `schema`; the first problem, naming the variable when there is one, as a CliError. */
export function parseOption<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CliError(
    issue ? `${issue.path.length > 0 ? `${issue.path.join('.')} ` : ''}${issue.message}` : 'invalid value',
  );
}
