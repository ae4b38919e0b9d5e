import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { EnvSchema } from '../config/config';
import type { Severity } from '../domain/review';
import { createGitHubClient, type Octokit } from '../github/github-client';
import { upsertPullRequestComment } from '../github/pull-request-comment';
import { errorMessage } from '../lib/error-message';
import { type CliConfig, loadCliConfig } from '../standalone/cli-config';
import { CliError, describeError } from '../standalone/cli-error';
import { createConsultant } from '../standalone/consultant';
import { chooseAgent, loadAgents } from '../standalone/load-agents';
import { readDesign } from '../standalone/read-input';
import { reviewDesign } from '../standalone/review-design';
import { chooseAdrFolder, LocalTeamDecisions, warnLine } from '../standalone/team-adrs';
import type { CliIO } from './cli-io';
import { FailOnSchema, parseCommandArgs, parseOption, REVIEW_OPTIONS } from './cli-options';
import { buildPullRequestComment, type FileOutcome } from './pr-comment';
import { changedFiles, matchingPaths, parsePatterns } from './pr-files';
import { GATE_EXIT_CODE, gate } from './severity-gate';

/** Files reviewed in one run at most: each is a Claude request, paid for on every push. */
export const DEFAULT_MAX_FILES = 10;

/** The bot's GitHub settings, declared once in its schema, as GitHub Actions sets them for every job. */
const ActionsEnvSchema = EnvSchema.pick({
  GITHUB_TOKEN: true,
  GITHUB_REPOSITORY: true,
  GITHUB_API_URL: true,
}).extend({ GITHUB_EVENT_PATH: z.string().optional() });

interface ActionsSettings {
  token: string;
  repository: string;
  apiUrl: string | undefined;
  eventPath: string | undefined;
}

/** Those settings, with the token (the workflow passes it) and the repository required here. */
function actionsSettings(env: NodeJS.ProcessEnv): ActionsSettings {
  const e = parseOption(ActionsEnvSchema, env);
  const token = e.GITHUB_TOKEN?.trim();
  if (!token)
    throw new CliError('GITHUB_TOKEN is required (the workflow passes the job’s token, github.token)');
  if (!e.GITHUB_REPOSITORY)
    throw new CliError('GITHUB_REPOSITORY is required (owner/name; GitHub Actions sets it)');
  return { token, repository: e.GITHUB_REPOSITORY, apiUrl: e.GITHUB_API_URL, eventPath: e.GITHUB_EVENT_PATH };
}

/** The fields of a pull_request event this command reads. */
const PullRequestEventSchema = z.object({
  pull_request: z.object({
    number: z.number().int().positive(),
    head: z.object({ sha: z.string() }).optional(),
  }),
});

export interface PullRequestTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha?: string;
}

/**
 * `architect pr-review`: reviews the pull request's added or changed files that match the patterns,
 * each with the same consultation as `architect review` (the team's ADRs as precedent, less those the
 * pull request adds or changes), and keeps one comment on the pull request with all of them, updated on
 * every push. Exit 1 when a file could not be reviewed (the comment says which and why), 2 when a review
 * trips `--fail-on`.
 */
export async function runPrReview(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: {
      ...REVIEW_OPTIONS,
      paths: { type: 'string' },
      'max-files': { type: 'string' },
      pr: { type: 'string' },
    },
    allowPositionals: false,
    strict: true,
  });
  const failOn = values['fail-on'] === undefined ? undefined : parseOption(FailOnSchema, values['fail-on']);
  const maxFiles = parseOption(
    z.coerce.number({ message: '--max-files must be a whole number' }).int().positive(),
    values['max-files'] ?? DEFAULT_MAX_FILES,
  );
  const config = loadCliConfig(io.env, io.cwd);
  const adrFolder = await chooseAdrFolder(values, config.adrDir, io.cwd);
  const actions = actionsSettings(io.env);
  const target = await pullRequestTarget(actions, values.pr);
  const octokit = createGitHubClient({
    token: actions.token,
    ...(actions.apiUrl ? { apiUrl: actions.apiUrl } : {}),
  });
  const agent = chooseAgent(
    await loadAgents(config.agentsDir, config.models),
    values.agent,
    config.defaultAgent,
  );

  const patterns = parsePatterns(values.paths);
  const changed = await changedFiles(octokit, target);
  const matched = matchingPaths(changed, patterns);
  if (matched.length === 0) {
    io.stderr.write(`architect: no changed file matches ${patterns.join(', ')}; nothing to review\n`);
    return 0;
  }
  const outcomes = await reviewFiles(matched.slice(0, maxFiles), {
    config,
    agent,
    model: values.model?.trim() || agent.model,
    io,
    // Every changed file, matched or not: the checkout holds the pull request's text of each.
    ...(adrFolder ? { decisions: new LocalTeamDecisions(adrFolder, io.cwd, changed, warnLine(io)) } : {}),
  });
  const comment = await postComment(octokit, target, {
    outcomes,
    patterns,
    agentName: agent.name,
    ...(target.headSha ? { headSha: target.headSha } : {}),
    notReviewed: matched.slice(maxFiles),
    maxFiles,
  });
  io.stdout.write(`${comment.created ? 'posted' : 'updated'} the review comment: ${comment.url}\n`);
  return exitCode(outcomes, failOn, io, matched.length - Math.min(matched.length, maxFiles));
}

async function reviewFiles(
  paths: string[],
  ctx: {
    config: CliConfig;
    agent: ReturnType<typeof chooseAgent>;
    model: string;
    io: CliIO;
    decisions?: LocalTeamDecisions;
  },
): Promise<FileOutcome[]> {
  const consultant = createConsultant(ctx.config.anthropic);
  const outcomes: FileOutcome[] = [];
  // One at a time: a pull request's few documents are not worth a burst against the rate limit.
  for (const path of paths) {
    try {
      const design = await readDesign(path, {
        cwd: ctx.io.cwd,
        maxBytes: ctx.config.context.files.maxBytes,
        stdin: ctx.io.stdin,
        confined: true,
      });
      const result = await reviewDesign(consultant, {
        design,
        agent: ctx.agent,
        model: ctx.model,
        context: ctx.config.context,
        ...(ctx.decisions ? { precedent: ctx.decisions.forDesign(path) } : {}),
      });
      outcomes.push({ path, agentName: ctx.agent.name, result });
      ctx.io.stderr.write(`reviewed ${path}: ${result.review.headline}\n`);
    } catch (error) {
      const reason = describeError(error);
      outcomes.push({ path, error: reason });
      ctx.io.stderr.write(`could not review ${path}: ${reason}\n`);
    }
  }
  return outcomes;
}

async function postComment(
  octokit: Octokit,
  target: PullRequestTarget,
  input: Parameters<typeof buildPullRequestComment>[0],
) {
  return upsertPullRequestComment(octokit, {
    owner: target.owner,
    repo: target.repo,
    pullNumber: target.pullNumber,
    body: buildPullRequestComment(input),
  });
}

function exitCode(
  outcomes: FileOutcome[],
  failOn: Severity | undefined,
  io: CliIO,
  unreviewed: number,
): number {
  if (outcomes.some((o) => 'error' in o)) return 1;
  // A gate cannot pass for files it did not look at.
  if (failOn && unreviewed > 0) {
    io.stderr.write(
      `architect: ${unreviewed} matching ${unreviewed === 1 ? 'file was' : 'files were'} not reviewed (--max-files); --fail-on ${failOn} cannot pass without them\n`,
    );
    return GATE_EXIT_CODE;
  }
  return gate(
    outcomes.flatMap((o) => ('result' in o ? [o.result.review] : [])),
    failOn,
    io,
  );
}

/** The repository from GITHUB_REPOSITORY, the pull request from --pr or the pull_request event. */
async function pullRequestTarget(env: ActionsSettings, pr: string | undefined): Promise<PullRequestTarget> {
  const [owner = '', repo = ''] = env.repository.split('/');
  if (pr !== undefined) {
    const pullNumber = parseOption(
      z.coerce.number({ message: '--pr must be a pull request number' }).int().positive(),
      pr,
    );
    return { owner, repo, pullNumber };
  }
  if (!env.eventPath) {
    throw new CliError('no pull request: run in a pull_request workflow, or name one with --pr NUMBER');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(env.eventPath, 'utf8'));
  } catch (error) {
    throw new CliError(`cannot read the workflow event (GITHUB_EVENT_PATH): ${errorMessage(error)}`);
  }
  const event = PullRequestEventSchema.safeParse(raw);
  if (!event.success) {
    throw new CliError(
      'the workflow event is not a pull request: run on pull_request, or name one with --pr NUMBER',
    );
  }
  const headSha = event.data.pull_request.head?.sha;
  return { owner, repo, pullNumber: event.data.pull_request.number, ...(headSha ? { headSha } : {}) };
}
