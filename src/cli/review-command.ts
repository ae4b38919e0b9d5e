import { z } from 'zod';
import { GroundedReviewSchema } from '../domain/review';
import { loadCliConfig } from '../standalone/cli-config';
import { CliError } from '../standalone/cli-error';
import { createConsultant } from '../standalone/consultant';
import { chooseAgent, loadAgents } from '../standalone/load-agents';
import { readDesign } from '../standalone/read-input';
import { consultedReviewMarkdown, reviewDesign } from '../standalone/review-design';
import { chooseAdrFolder, LocalTeamDecisions, warnLine } from '../standalone/team-adrs';
import type { CliIO } from './cli-io';
import { FailOnSchema, parseCommandArgs, parseOption, REVIEW_OPTIONS } from './cli-options';
import { ProgressLine } from './progress-line';
import { gate } from './severity-gate';

const FormatSchema = z.enum(['markdown', 'json'], { message: '--format must be "markdown" or "json"' });
/**
 * `architect review <file|-> [--agent NAME] [--format markdown|json] [--model ID] [--fail-on blocker|major]
 * [--adrs DIR | --no-adrs]`
 */
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
  const adrFolder = await chooseAdrFolder(values, config.adrDir, io.cwd);
  const agent = chooseAgent(
    await loadAgents(config.agentsDir, config.models),
    values.agent,
    config.defaultAgent,
  );
  const target = positionals[0] ?? '-';
  const designPath = target === '-' ? undefined : target;
  const design = await readDesign(target, {
    cwd: io.cwd,
    maxBytes: config.context.files.maxBytes,
    stdin: io.stdin,
  });
  const model = values.model?.trim() || agent.model;
  const precedent = adrFolder
    ? new LocalTeamDecisions(adrFolder, io.cwd, designPath ? [designPath] : [], warnLine(io)).forDesign(
        designPath,
      )
    : undefined;

  const progress = new ProgressLine(io.stderr);
  progress.start(`Reviewing ${design.name} with ${agent.name} (${model})…`);
  let result: Awaited<ReturnType<typeof reviewDesign>>;
  try {
    result = await reviewDesign(createConsultant(config.anthropic), {
      design,
      agent,
      model,
      context: config.context,
      ...(precedent ? { precedent } : {}),
      onPartialReview: () => progress.update(`${agent.name} is writing the review of ${design.name}…`),
    });
  } finally {
    progress.stop();
  }

  io.stdout.write(
    format === 'json'
      ? `${JSON.stringify(GroundedReviewSchema.parse(result.review), null, 2)}\n`
      : consultedReviewMarkdown(result, agent.name),
  );
  return gate([result.review], failOn, io);
}
