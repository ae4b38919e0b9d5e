import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { AdrConvention, NewAdrPlan } from '../domain/adr-convention';
import { slugify } from '../domain/adr-convention';
import type { AdrTarget, NewAdr, OpenedAdrPullRequest } from '../github/adr-repository';
import { GitHubError } from '../github/github-error';
import { errorMessage } from '../lib/error-message';
import { escapeMrkdwn, truncate } from '../lib/mrkdwn';
import type { Logger } from '../logger';
import type { ReviewRecord } from '../stores/review-store';
import type { SavedAdr, SavedAdrs } from '../stores/saved-adrs';
import { type AdrDecision, renderAdrMarkdown } from './adr-document';

/** Where saved ADRs go besides the thread. */
export interface AdrPublishing {
  /** The team's repository; absent when GITHUB_REPOSITORY is not configured. */
  repository?: {
    /** `owner/name`, as the thread's message names it. */
    name: string;
    /** The ADR folder, as the form names it. */
    adrPath: string;
    openAdrPullRequest(input: NewAdr): Promise<OpenedAdrPullRequest>;
  };
  /** ADR_DIR, when reviews read a local folder: the file in the thread is named and written as its ADRs are. */
  localFolder?: { planNewAdr(title: string, date: string): Promise<NewAdrPlan> };
  /** Records each saved ADR for its author's Home tab, which lists them. */
  saved?: Pick<SavedAdrs, 'add' | 'recent'>;
  logger: Logger;
  now?: () => Date;
}

export interface SaveAdrInput {
  record: ReviewRecord & { review: NonNullable<ReviewRecord['review']> };
  decision: AdrDecision;
  teamId: string;
  userId: string;
  /** The reply the form was opened from, linked from the ADR as "the review". */
  replyTs?: string | undefined;
}

export interface SaveAdrOutcome {
  markdown: string;
  filename: string;
  pullRequest?: OpenedAdrPullRequest;
  /** Why no pull request was opened, in words for the thread; absent when none was asked for. */
  githubProblem?: string;
  /** Whether the file reached the thread (else its text was posted instead). */
  uploaded: boolean;
}

/** Slack's upload answer, as files.uploadV2 gathers it: one files.completeUploadExternal answer per upload. */
const UploadResultSchema = z.object({
  files: z.array(
    z.object({ files: z.array(z.object({ id: z.string(), permalink: z.string().optional() })).optional() }),
  ),
});

/** Room for the ADR's text in a message when the file could not be uploaded (Slack's text limit is 40k). */
const FALLBACK_TEXT_CHARS = 35_000;

/**
 * Saves a review's decision as an ADR: renders the Markdown (MADR), opens a pull request when a
 * repository is configured, and uploads the file into the thread with a short message that links the
 * pull request or says in plain words why there is none. A GitHub failure never stops the upload, and a
 * refused upload posts the ADR's text instead, so the decision is never lost.
 */
export async function saveAdr(
  slack: WebClient,
  deps: AdrPublishing,
  input: SaveAdrInput,
): Promise<SaveAdrOutcome> {
  const { record, decision } = input;
  const log = deps.logger.child({ requestId: record.requestId, component: 'save-adr' });
  const [thread, review] = await Promise.all([
    permalink(slack, record.channelId, record.threadTs),
    input.replyTs ? permalink(slack, record.channelId, input.replyTs) : Promise.resolve(undefined),
  ]);
  const date = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);
  const render = (target?: { convention: AdrConvention; number: number | undefined }) =>
    renderAdrMarkdown({
      decision,
      review: record.review,
      agentName: record.agentName,
      date,
      links: { thread, review },
      ...(target ? { convention: target.convention, number: target.number } : {}),
    });

  const { pullRequest, githubProblem } = await openPullRequest(
    deps,
    decision,
    date,
    render,
    { thread, review },
    log,
  );
  const local = pullRequest ? undefined : await localPlan(deps, decision.title, date, log);
  const markdown = pullRequest?.markdown ?? render(local);
  const filename = pullRequest
    ? (pullRequest.path.split('/').pop() ?? 'adr.md')
    : (local?.fileName ?? `adr-${slugify(decision.title) || 'decision'}.md`);
  const message = threadMessage(input.userId, decision, deps.repository?.name, pullRequest, githubProblem);
  const { uploaded, filePermalink } = await uploadAdr(
    slack,
    record,
    { markdown, filename, title: decision.title, message },
    log,
  );
  const saved: SavedAdr = {
    title: decision.title,
    status: decision.status,
    savedAt: (deps.now?.() ?? new Date()).getTime(),
    channelId: record.channelId,
    threadTs: record.threadTs,
    ...(filePermalink ? { filePermalink } : {}),
    ...(pullRequest
      ? { pullRequest: { url: pullRequest.url, number: pullRequest.number, path: pullRequest.path } }
      : {}),
  };
  await deps.saved
    ?.add(input.teamId, input.userId, saved)
    .catch((error: unknown) => log.warn({ err: errorMessage(error) }, 'could not record the saved ADR'));
  return {
    markdown,
    filename,
    uploaded,
    ...(pullRequest ? { pullRequest } : {}),
    ...(githubProblem ? { githubProblem } : {}),
  };
}

/** Opens the ADR's pull request when a repository is configured; a GitHub failure becomes words, not an error. */
async function openPullRequest(
  deps: AdrPublishing,
  decision: AdrDecision,
  date: string,
  markdown: (target: AdrTarget) => string,
  links: { thread: string | undefined; review: string | undefined },
  log: Logger,
): Promise<{ pullRequest?: OpenedAdrPullRequest; githubProblem?: string }> {
  if (!deps.repository) return {};
  try {
    const pullRequest = await deps.repository.openAdrPullRequest({
      slug: decision.title,
      title: `ADR: ${decision.title}`,
      date,
      markdown,
      body: pullRequestBody(decision, links),
    });
    log.info({ pullRequest: pullRequest.number }, 'ADR pull request opened');
    return { pullRequest };
  } catch (error) {
    log.warn(
      { code: error instanceof GitHubError ? error.code : undefined, err: errorMessage(error) },
      'could not open the ADR pull request; uploading the file only',
    );
    return {
      githubProblem:
        error instanceof GitHubError
          ? error.userMessage
          : 'Something went wrong on Architect’s side while talking to GitHub.',
    };
  }
}

/** Where the ADR would go in the local ADR folder, written its way; undefined without one, or when it cannot be read. */
async function localPlan(
  deps: AdrPublishing,
  title: string,
  date: string,
  log: Logger,
): Promise<NewAdrPlan | undefined> {
  if (!deps.localFolder) return undefined;
  try {
    return await deps.localFolder.planNewAdr(title, date);
  } catch (error) {
    log.warn(
      { err: errorMessage(error) },
      'could not read the ADR folder’s convention; writing the ADR as MADR',
    );
    return undefined;
  }
}

/** Uploads the ADR file into the thread; where Slack refuses the file, posts its text instead. */
async function uploadAdr(
  slack: WebClient,
  record: { channelId: string; threadTs: string },
  file: { markdown: string; filename: string; title: string; message: string },
  log: Logger,
): Promise<{ uploaded: boolean; filePermalink?: string }> {
  try {
    const result = await slack.filesUploadV2({
      channel_id: record.channelId,
      thread_ts: record.threadTs,
      file: Buffer.from(file.markdown, 'utf8'),
      filename: file.filename,
      title: file.title,
      initial_comment: file.message,
    });
    const parsed = UploadResultSchema.safeParse(result);
    const filePermalink = parsed.success ? parsed.data.files[0]?.files?.[0]?.permalink : undefined;
    return { uploaded: true, ...(filePermalink ? { filePermalink } : {}) };
  } catch (error) {
    log.warn({ err: errorMessage(error) }, 'could not upload the ADR file; posting its text instead');
    await slack.chat.postMessage({
      channel: record.channelId,
      thread_ts: record.threadTs,
      text: `${file.message}\nSlack did not take the file, so here is the ADR (${escapeMrkdwn(file.filename)}):\n\`\`\`\n${escapeMrkdwn(truncate(file.markdown, FALLBACK_TEXT_CHARS))}\n\`\`\``,
      unfurl_links: false,
    });
    return { uploaded: false };
  }
}

/** The short message with the file: who saved what, and where it went in the repository. */
export function threadMessage(
  userId: string,
  decision: AdrDecision,
  repositoryName: string | undefined,
  pullRequest: Pick<OpenedAdrPullRequest, 'url' | 'number' | 'path'> | undefined,
  githubProblem: string | undefined,
): string {
  const lines = [
    `:page_facing_up: <@${userId}> saved this review's decision as an ADR: *${escapeMrkdwn(decision.title)}* (${decision.status}).`,
  ];
  if (pullRequest && repositoryName) {
    lines.push(
      `:arrow_right: Pull request <${pullRequest.url}|${escapeMrkdwn(repositoryName)}#${pullRequest.number}> adds \`${escapeMrkdwn(pullRequest.path)}\`: review and merge it to record the decision.`,
    );
  } else if (githubProblem) {
    lines.push(`:warning: No pull request was opened. ${escapeMrkdwn(githubProblem)}`);
  }
  return lines.join('\n');
}

function pullRequestBody(decision: AdrDecision, links: { thread?: string; review?: string }): string {
  return [
    `An Architecture Decision Record (status: ${decision.status}), saved from a Slack thread with Architect.`,
    '',
    ...(links.thread ? [`- Slack thread: ${links.thread}`] : []),
    ...(links.review ? [`- Architect's review: ${links.review}`] : []),
    '',
    'Edit the file in this pull request as the team settles the decision; merging it records the decision.',
  ].join('\n');
}

async function permalink(slack: WebClient, channel: string, ts: string): Promise<string | undefined> {
  const answer = await slack.chat.getPermalink({ channel, message_ts: ts }).catch(() => undefined);
  return answer?.permalink;
}
