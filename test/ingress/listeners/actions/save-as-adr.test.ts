import type { Review } from '../../../../src/domain/review';
import { GitHubFake } from '../../../fakes/github-fake';
import type { FakeMessage } from '../../../fakes/slack-api-fake';
import { fixtureThread, longReview } from '../../../fixtures/reviews';
import { type Harness, startHarness } from '../../../helpers/architect-harness';
import { botReplies, mention, shownText } from '../../../helpers/slack-actions';
import {
  adrFormSubmissionBody,
  blockActionsBody,
  CHANNEL,
  eventCallback,
  USER,
} from '../../../helpers/slack-payloads';
import { signedPost } from '../../../helpers/slack-signing';
import { waitForReview } from '../../../helpers/waits';

const FORM = { contentType: 'application/x-www-form-urlencoded' as const };
const REPO = { owner: 'acme', repo: 'platform' };
const MADR_HEADINGS = [
  '## Context and Problem Statement',
  '## Decision Drivers',
  '## Considered Options',
  '## Decision Outcome',
  '### Consequences',
  '## Pros and Cons of the Options',
  '## More Information',
];

/** Six ADRs as a team's repository holds them; 0003 is the accepted outbox decision, 0002 superseded. */
function teamAdrs(): Record<string, string> {
  return {
    'docs/adr/README.md': '# Decisions\n',
    'docs/adr/0001-record-architecture-decisions.md':
      '# 1. Record architecture decisions\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n',
    'docs/adr/0002-publish-events-from-the-request-handler.md':
      '# Publish events straight from the request handler\n\n* Status: superseded by ADR-0003\n* Date: 2024-02-03\n',
    'docs/adr/0003-use-transactional-outbox.md':
      '---\nstatus: accepted\ndate: 2024-03-04\n---\n# Use a transactional outbox for every event\n\n## Decision Outcome\n\nEvery service publishes domain events through a transactional outbox relayed by Debezium; no handler writes to Kafka directly.\n',
    'docs/adr/0004-postgres-per-service.md':
      '# One Postgres database per service\n\n## Status\n\nAccepted\n\nServices never share a schema.\n',
    'docs/adr/0005-feature-flags.md': '# Feature flags in LaunchDarkly\n\n## Status\n\nProposed\n',
    'docs/adr/0006-api-versioning.md': '# Version public APIs in the URL\n\n## Status\n\nAccepted\n',
  };
}

/** The fixture's design thread, its people known to Slack; returns the root's ts. */
function postLongThread(h: Harness): string {
  const messages = fixtureThread('long-review').messages.filter((m) => m.user !== 'UBOT');
  for (const m of messages) h.slack.addUser(m.user, { name: m.author, real_name: m.author });
  const [root, ...rest] = messages;
  const rootTs = h.slack.addMessage(CHANNEL, { user: root?.user ?? USER, text: root?.text ?? '' });
  for (const m of rest) h.slack.addMessage(CHANNEL, { user: m.user, text: m.text, thread_ts: rootTs });
  return rootTs;
}

async function reviewedThread(h: Harness, review: Review = longReview()) {
  const rootTs = postLongThread(h);
  h.claude.enqueue({ kind: 'review', review });
  await mention(h, { text: '<@UBOT> review the split please', threadTs: rootTs });
  return { rootTs, reply: await waitForReview(h, rootTs) };
}

function button(message: FakeMessage, actionId: string): { value?: string } | undefined {
  return ((message.blocks ?? []) as { type: string; elements?: { action_id?: string; value?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId);
}

type OpenedView = { id: string; callback_id: string; private_metadata: string; blocks: unknown[] };

/** Clicks "Save as ADR" on the reply; resolves with the form Slack shows. */
async function openAdrForm(h: Harness, reply: FakeMessage, rootTs: string): Promise<OpenedView> {
  const before = h.slack.callsTo('views.open').length;
  const res = await signedPost(
    h.eventsUrl,
    blockActionsBody({
      actionId: 'save_as_adr',
      value: String(button(reply, 'save_as_adr')?.value),
      messageTs: reply.ts,
      threadTs: rootTs,
    }),
    FORM,
  );
  expect(res.status).toBe(200);
  const call = await h.slack.waitFor(() => h.slack.callsTo('views.open')[before]);
  expect(call.response?.ok).toBe(true);
  return (call.response as { view: OpenedView }).view;
}

/** The value a text input of the form starts with. */
function initialValue(view: OpenedView, blockId: string): string | undefined {
  const block = (view.blocks as { block_id?: string; element?: { initial_value?: string } }[]).find(
    (b) => b.block_id === blockId,
  );
  return block?.element?.initial_value;
}

async function submitAdrForm(
  h: Harness,
  view: OpenedView,
  values: { title: string; decision: string; status?: 'proposed' | 'accepted'; context?: string },
): Promise<Response> {
  return signedPost(h.eventsUrl, adrFormSubmissionBody({ view, ...values }), FORM);
}

/** The bot's message in the thread that carries the ADR file. */
function fileMessage(h: Harness, rootTs: string): Promise<FakeMessage> {
  return h.slack.waitFor(() => botReplies(h, rootTs).find((m) => (m.files ?? []).length > 0));
}

describe('Save as ADR', () => {
  let h: Harness | undefined;
  let github: GitHubFake | undefined;
  afterEach(async () => {
    await h?.stop();
    await github?.close();
    h = undefined;
    github = undefined;
  });

  /** The app, with GitHub configured when a fake is given. */
  async function start(withGitHub?: GitHubFake): Promise<Harness> {
    h = await startHarness(
      withGitHub
        ? {
            GITHUB_TOKEN: withGitHub.token,
            GITHUB_REPOSITORY: `${REPO.owner}/${REPO.repo}`,
            GITHUB_API_URL: withGitHub.apiUrl,
          }
        : {},
    );
    h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
    return h;
  }

  it('puts the decision, edited in the form, into the thread as a MADR file built from the review', async () => {
    const app = await start();
    const { rootTs, reply } = await reviewedThread(app);
    const view = await openAdrForm(app, reply, rootTs);

    // Prefilled from the review's first decision and the thread's opening message, all editable.
    expect(initialValue(view, 'adr_title')).toBe(longReview().decisions?.[0]?.decision);
    expect(initialValue(view, 'adr_context')).toContain('splitting orders & payments out of the monolith');
    const res = await submitAdrForm(app, view, {
      title: 'Publish every event through an outbox',
      status: 'accepted',
      decision: 'We route all events, webhook-caused ones included, through a per-service outbox.',
      context: 'Checkout is leaving the monolith; payments must never be lost.',
    });
    expect(res.status).toBe(200);

    const message = await fileMessage(app, rootTs);
    expect(message.text).toContain('saved this review’s decision as an ADR'.replace('’', "'"));
    expect(message.text).toContain('*Publish every event through an outbox* (accepted)');
    const [file] = app.slack.uploadedFiles;
    expect(file).toMatchObject({ name: 'adr-publish-every-event-through-an-outbox.md', thread_ts: rootTs });
    const markdown = file?.content.toString('utf8') ?? '';
    expect(markdown).toMatch(
      /^---\nstatus: "accepted"\ndate: \d{4}-\d{2}-\d{2}\n---\n\n# Publish every event/,
    );
    for (const heading of MADR_HEADINGS) expect(markdown).toContain(`\n${heading}\n`);
    // The team's words and the review's content: findings as drivers, alternatives as options, links back.
    expect(markdown).toContain('We route all events, webhook-caused ones included');
    for (const f of longReview().findings) expect(markdown).toContain(f.title);
    for (const a of longReview().alternatives ?? []) expect(markdown).toContain(`### ${a.option}`);
    expect(markdown).toMatch(/Slack thread: https:\/\/fake-workspace\.slack\.com\/archives\/C0DESIGN\/p\d+/);
    expect(markdown).toMatch(
      /Architect's review: https:\/\/fake-workspace\.slack\.com\/archives\/C0DESIGN\/p\d+\?thread_ts=/,
    );
    // Only one Claude request: the ADR is rendered from the stored review.
    expect(app.claude.requests).toHaveLength(1);
  });

  it('keeps the form open with a message when the title or decision is left blank', async () => {
    const app = await start();
    const { rootTs, reply } = await reviewedThread(app);
    const view = await openAdrForm(app, reply, rootTs);
    const res = await submitAdrForm(app, view, { title: '  ', decision: '' });
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: {
        adr_title: 'Give the decision a title (a few words).',
        adr_decision: 'Write the decision in a paragraph (or press Cancel).',
      },
    });
    expect(app.slack.uploadedFiles).toEqual([]);
  });

  /** Reviews a thread and saves its decision as `title` with GitHub configured; the thread's file message. */
  async function saveToGitHub(
    withGitHub: GitHubFake,
    title: string,
  ): Promise<{ app: Harness; message: FakeMessage }> {
    const app = await start(withGitHub);
    const { rootTs, reply } = await reviewedThread(app);
    const view = await openAdrForm(app, reply, rootTs);
    await submitAdrForm(app, view, { title, decision: 'Webhooks write to the outbox.' });
    return { app, message: await fileMessage(app, rootTs) };
  }

  it('opens a pull request numbered after the repository’s ADRs, and links it in the thread', async () => {
    github = await GitHubFake.start();
    github.seedRepo({ ...REPO, files: teamAdrs() });
    const { app, message } = await saveToGitHub(github, 'Use an outbox for webhook events');
    const [pull] = github.pullRequests(REPO.owner, REPO.repo);
    expect(pull).toMatchObject({ title: 'ADR: Use an outbox for webhook events', base: 'main' });
    expect(pull?.head).toBe('architect/adr-0007-use-an-outbox-for-webhook-events');
    const path = 'docs/adr/0007-use-an-outbox-for-webhook-events.md';
    const committed = github.fileAt(REPO.owner, REPO.repo, String(pull?.head), path) ?? '';
    expect(committed).toContain('## Decision Outcome');
    expect(committed).toContain('Webhooks write to the outbox.');
    expect(pull?.body).toMatch(/Slack thread: https:\/\/fake-workspace\.slack\.com\/archives\/C0DESIGN\//);
    expect(message.text).toContain(
      `<https://github.com/acme/platform/pull/${pull?.number}|acme/platform#${pull?.number}>`,
    );
    expect(message.text).toContain(path);
    // The same file in the thread, under its repository name.
    expect(app.slack.uploadedFiles[0]).toMatchObject({ name: '0007-use-an-outbox-for-webhook-events.md' });
    expect(app.slack.uploadedFiles[0]?.content.toString('utf8')).toBe(committed);

    // The Home tab lists it with its pull request.
    const before = app.slack.callsTo('views.publish').length;
    await signedPost(
      app.eventsUrl,
      eventCallback({ type: 'app_home_opened', user: USER, channel: 'D0HOME', tab: 'home' }),
    );
    const home = await app.slack.waitFor(() => app.slack.callsTo('views.publish')[before]);
    expect(home.response?.ok).toBe(true);
    const shown = JSON.stringify(home.params.view);
    expect(shown).toContain('Your decisions (ADRs)');
    expect(shown).toContain(
      `<https://github.com/acme/platform/pull/${pull?.number}|Use an outbox for webhook events>`,
    );
  });

  it('numbers after the ADRs still in open Architect pull requests, so two open ones never share a number', async () => {
    github = await GitHubFake.start();
    github.seedRepo({ ...REPO, files: teamAdrs() });
    github.seedBranch(REPO.owner, REPO.repo, 'architect/adr-0007-use-grpc-between-services');
    const { app, message } = await saveToGitHub(github, 'Use an outbox for webhook events');

    const path = 'docs/adr/0008-use-an-outbox-for-webhook-events.md';
    expect(message.text).toContain(path);
    expect(app.slack.uploadedFiles[0]).toMatchObject({ name: '0008-use-an-outbox-for-webhook-events.md' });
    expect(github.pullRequests(REPO.owner, REPO.repo)).toEqual([
      expect.objectContaining({ head: 'architect/adr-0008-use-an-outbox-for-webhook-events' }),
    ]);
  });

  it('says in the thread that GitHub refused the token, and still uploads the file', async () => {
    github = await GitHubFake.start();
    github.seedRepo({ ...REPO, files: teamAdrs() });
    github.refuseToken();
    const { app, message } = await saveToGitHub(github, 'Use an outbox');
    expect(message.text).toContain('No pull request was opened. GitHub refused the token in GITHUB_TOKEN');
    expect(app.slack.uploadedFiles[0]?.content.toString('utf8')).toContain('# Use an outbox');
    expect(github.pullRequests(REPO.owner, REPO.repo)).toEqual([]);
    // Even at debug level, the token is in no log line.
    expect(app.logs.raw.join('\n')).not.toContain(github.token);
  });

  it('gives a later review the ADR index and the related ADR, and links a finding that cites it', async () => {
    github = await GitHubFake.start();
    github.seedRepo({ ...REPO, files: teamAdrs() });
    const app = await start(github);
    const review = longReview();
    const [first, ...rest] = review.findings;
    if (!first) throw new Error('the fixture has findings');
    const citing: Review = {
      ...review,
      findings: [
        { ...first, evidence: undefined, adr: { id: 'ADR-0003', relation: 'contradicts' } },
        ...rest,
      ],
    };
    const { reply } = await reviewedThread(app, citing);

    const sent = JSON.stringify(app.claude.requests[0]?.body.messages);
    expect(sent).toContain('<team_decisions source=\\"acme/platform docs/adr\\">');
    expect(sent).toContain('ADR-0001 · Record architecture decisions · Accepted · 2024-01-02');
    expect(sent).toContain(
      'ADR-0002 · Publish events straight from the request handler · superseded by ADR-0003 [SUPERSEDED by ADR-0003: no longer holds]',
    );
    expect(sent).toContain(
      '<adr id=\\"ADR-0003\\" title=\\"Use a transactional outbox for every event\\" status=\\"accepted\\">',
    );
    expect(sent).toContain('no handler writes to Kafka directly');

    const link =
      '<https://github.com/acme/platform/blob/main/docs/adr/0003-use-transactional-outbox.md|ADR-0003: Use a transactional outbox for every event>';
    expect(shownText(reply)).toContain(`:warning: Goes against the team’s decision ${link} (accepted)`);
  });
});
