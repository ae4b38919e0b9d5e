import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';
import { type GroundedReview, GroundedReviewSchema, type Severity } from '../consultation/review';
import { SEVERITY_ORDER } from '../rendering/review-labels';
import { renderReviewMarkdown } from '../rendering/review-markdown';
import { loadCliConfig } from './cli-config';
import { CliError } from './cli-error';
import type { CliIO } from './cli-io';
import { createConsultant } from './consultant';
import { chooseAgent, loadAgents } from './load-agents';
import { ProgressLine } from './progress-line';
import { readDesign } from './read-input';
import { reviewDesign } from './review-design';

/** Exit code of a review that has findings at or above `--fail-on`: a failed gate, not a failed run. */
export const GATE_EXIT_CODE = 2;

const FormatSchema = z.enum(['markdown', 'json'], { message: '--format must be "markdown" or "json"' });
export const FailOnSchema = z.enum(['blocker', 'major'], {
  message: '--fail-on must be "blocker" or "major"',
});

/** Options `review` and `pr-review` share. */
export const REVIEW_OPTIONS = {
  agent: { type: 'string' },
  model: { type: 'string' },
  'fail-on': { type: 'string' },
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

/** `architect review <file|-> [--agent NAME] [--format markdown|json] [--model ID] [--fail-on blocker|major]` */
export async function runReview(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args,
    options: { ...REVIEW_OPTIONS, format: { type: 'string', default: 'markdown' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) {
    throw new CliError('review takes one file to review (or - for standard input); see architect --help');
  }
  const format = parseOption(FormatSchema, values.format);
  const failOn = values['fail-on'] === undefined ? undefined : parseOption(FailOnSchema, values['fail-on']);
  const config = loadCliConfig(io.env, io.cwd);
  const agent = chooseAgent(
    await loadAgents(config.agentsDir, config.models),
    values.agent,
    config.defaultAgent,
  );
  const design = await readDesign(positionals[0] ?? '-', {
    cwd: io.cwd,
    maxBytes: config.context.files.maxBytes,
    stdin: io.stdin,
  });
  const model = values.model?.trim() || agent.model;

  const progress = new ProgressLine(io.stderr);
  progress.start(`Reviewing ${design.name} with ${agent.name} (${model})…`);
  let result: Awaited<ReturnType<typeof reviewDesign>>;
  try {
    result = await reviewDesign(createConsultant(config.anthropic), {
      design,
      agent,
      model,
      context: config.context,
      onPartialReview: () => progress.update(`${agent.name} is writing the review of ${design.name}…`),
    });
  } finally {
    progress.stop();
  }

  io.stdout.write(
    format === 'json'
      ? `${JSON.stringify(GroundedReviewSchema.parse(result.review), null, 2)}\n`
      : renderReviewMarkdown(result.review, {
          agentName: agent.name,
          model: result.model,
          durationMs: result.claudeMs,
          asOf: result.asOf,
          usage: result.usage,
          notes: result.notes,
        }),
  );
  return gate([result.review], failOn, io);
}

/** Findings at or above `severity`: blocker counts blockers, major counts blockers and majors. */
export function findingsAtOrAbove(review: GroundedReview, severity: Severity): number {
  const limit = SEVERITY_ORDER.indexOf(severity);
  return review.findings.filter((f) => SEVERITY_ORDER.indexOf(f.severity) <= limit).length;
}

/** 0, or GATE_EXIT_CODE with one line saying why when the reviews have findings at or above `failOn`. */
export function gate(
  reviews: GroundedReview[],
  failOn: Severity | undefined,
  io: Pick<CliIO, 'stderr'>,
): number {
  if (!failOn) return 0;
  const count = reviews.reduce((n, review) => n + findingsAtOrAbove(review, failOn), 0);
  if (count === 0) return 0;
  io.stderr.write(
    `architect: ${count} ${count === 1 ? 'finding' : 'findings'} at or above ${failOn} (--fail-on ${failOn})\n`,
  );
  return GATE_EXIT_CODE;
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
