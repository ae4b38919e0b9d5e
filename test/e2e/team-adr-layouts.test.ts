import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GitHubFake } from '../fakes/github-fake';
import { sampleReviewCiting } from '../fixtures/sample-review';
import { type Harness, ROOT, startHarness } from '../helpers/architect-harness';
import { teamDecisionsIn } from '../helpers/claude-request';
import { mention, shownText } from '../helpers/slack-actions';
import { CHANNEL, USER } from '../helpers/slack-payloads';
import { waitForReview } from '../helpers/waits';

/**
 * The Slack path with ADRs in a date-prefixed layout (`2024-09-25-signing-configuration.md`, two files
 * of one day): the worker builds precedent from them, read from a local folder (ADR_DIR) or from the
 * team's GitHub repository, and the review is delivered and cites one of them by its file name.
 */

const DATED = path.join(ROOT, 'test/fixtures/adr-collections/date-prefixed');
const DATED_IDS = readdirSync(DATED).map((name) => name.replace(/\.md$/, ''));
const CITED = '2025-01-10-rotate-signing-keys-with-kms';

async function reviewWithCitation(h: Harness): Promise<string> {
  h.slack.addUser(USER, { name: 'alice', display_name: 'Alice' });
  const rootTs = h.slack.addMessage(CHANNEL, {
    user: USER,
    text: 'Design: sign releases with cosign keyless.',
  });
  h.claude.enqueue({ kind: 'review', review: sampleReviewCiting(CITED) });
  await mention(h, { text: '<@UBOT> review', threadTs: rootTs });
  return shownText(await waitForReview(h, rootTs));
}

describe('a team whose ADRs are date-prefixed', () => {
  /** What a test started, stopped after it in the reverse order. */
  const running: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of running.splice(0).reverse()) await stop();
  });
  async function app(env: Record<string, string>): Promise<Harness> {
    const h = await startHarness(env);
    running.push(() => h.stop());
    return h;
  }

  it('gets its review, with every ADR of the folder (ADR_DIR) in the index and the cited one linked', async () => {
    const h = await app({ ADR_DIR: DATED });
    const shown = await reviewWithCitation(h);

    const decisions = teamDecisionsIn(h.claude.requests[0]) ?? '';
    for (const id of DATED_IDS) expect(decisions).toContain(`\n${id} · `);
    expect(decisions).toContain(
      '2024-09-25-signing-configuration · Sign release artifacts with Sigstore · Superseded by 2025-01-10-rotate-signing-keys-with-kms [SUPERSEDED by 2025-01-10-rotate-signing-keys-with-kms: no longer holds]',
    );
    expect(shown).toContain(
      `:bookmark: Follows the team’s decision *${CITED}: Rotate signing keys with KMS* (Accepted; Supersedes 2024-09-25-signing-configuration)`,
    );
  });

  it('gets its review from the repository too, an empty ADR file skipped with a log line naming it', async () => {
    const github = await GitHubFake.start();
    running.push(() => github.close());
    const files: Record<string, string> = {
      'docs/adr/README.md': '# Decisions\n',
      'docs/adr/2025-04-01-empty.md': '',
    };
    for (const name of readdirSync(DATED))
      files[`docs/adr/${name}`] = readFileSync(path.join(DATED, name), 'utf8');
    github.seedRepo({ owner: 'acme', repo: 'platform', files });
    const h = await app({
      GITHUB_TOKEN: github.token,
      GITHUB_REPOSITORY: 'acme/platform',
      GITHUB_API_URL: github.apiUrl,
    });
    const shown = await reviewWithCitation(h);

    const decisions = teamDecisionsIn(h.claude.requests[0]) ?? '';
    for (const id of DATED_IDS) expect(decisions).toContain(`\n${id} · `);
    expect(shown).toContain(
      `<https://github.com/acme/platform/blob/main/docs/adr/${CITED}.md|${CITED}: Rotate signing keys with KMS>`,
    );
    expect(shown).toContain('ADR files not read: 2025-04-01-empty.md (the file is empty)');
    expect(h.logs.lines).toContainEqual(
      expect.objectContaining({
        msg: 'ADR file skipped; reviews go on without it',
        file: 'docs/adr/2025-04-01-empty.md',
        reason: 'the file is empty',
      }),
    );
  });
});
