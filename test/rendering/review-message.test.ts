import type { KnownBlock } from '@slack/web-api';
import { groundReview } from '../../src/consultation/grounding';
import type { GroundedReview, Review } from '../../src/domain/review';
import { renderAnswerModal } from '../../src/rendering/answer-modal';
import { renderAnswers } from '../../src/rendering/answers-message';
import { renderFullReviewMessages, renderFullReviewModal } from '../../src/rendering/full-review';
import { renderHomeView } from '../../src/rendering/home-view';
import {
  ActionId,
  clarifyQuestionActionId,
  decodeQuestionButtonValue,
} from '../../src/rendering/interactions';
import { renderProgress } from '../../src/rendering/progress-message';
import type { ReplyMeta } from '../../src/rendering/reply-meta';
import { type ReplyDetail, renderReply } from '../../src/rendering/review-message';
import { markdownToMrkdwn } from '../../src/rendering/slack-text';
import { renderFailure, renderRequestRoot } from '../../src/rendering/status-messages';
import { blockKitViolations, blocksTextLength, viewViolations } from '../fakes/block-kit-rules';
import { type FixtureName, fixtureThread, longReview, mediumReview, shortAnswer } from '../fixtures/reviews';

const meta: ReplyMeta = {
  requestId: 'req-123',
  agentName: 'backend-architect',
  model: 'claude-sonnet-5-5',
  durationMs: 47_000,
  asOf: '2026-11-29',
  usage: { inputTokens: 18_000, outputTokens: 2_900, cacheReadTokens: 12_000, cacheWriteTokens: 6_000 },
  notes: ['not read: capacity.xlsx (spreadsheets are not read)'],
  otherAgents: ['security-reviewer', 'data-architect'],
};

const FIXTURES: [FixtureName, () => Review][] = [
  ['long-review', longReview],
  ['medium-review', mediumReview],
  ['short-answer', shortAnswer],
];

/** A fixture grounded against its own thread, as the worker grounds a reply. */
function grounded(name: FixtureName, load: () => Review): GroundedReview {
  return groundReview(
    load(),
    fixtureThread(name)
      .messages.map((m) => m.text)
      .join('\n'),
  );
}

/** Every text a person could see in some blocks, joined. */
function textsOf(value: unknown): string {
  if (Array.isArray(value)) return value.map(textsOf).join('\n');
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value)
    .map(([k, v]) => (k === 'text' && typeof v === 'string' ? v : textsOf(v)))
    .join('\n');
}

const HOSTILE = /<!(channel|here|everyone|subteam)|<[@#][A-Z0-9]/;

describe('the reply in the thread', () => {
  it.each(FIXTURES)('%s stays within every Slack limit at each level of detail', (name, load) => {
    for (const detail of ['compact', 'minimal', 'text'] as ReplyDetail[]) {
      const message = renderReply(grounded(name, load), meta, detail);
      expect(blockKitViolations(message.blocks)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      expect(blocksTextLength(message.blocks)).toBeLessThanOrEqual(11_000);
      expect(message.text.length).toBeGreaterThan(20);
      expect(message.text.length).toBeLessThanOrEqual(4000);
    }
  });

  it('opens with the verdict and the headline, then the TL;DR, and is a few screens at most', () => {
    const review = grounded('long-review', longReview);
    const { blocks } = renderReply(review, meta);
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(textsOf(blocks[0])).toContain(':large_yellow_circle:');
    expect(textsOf(blocks[0])).toContain(review.headline.slice(0, 60));
    expect(textsOf(blocks[1])).toContain('Sound with changes');
    expect(textsOf(blocks.slice(0, 4))).toContain(markdownToMrkdwn(review.tldr).slice(0, 40));
    // The long review as a strong model writes it (about 2,300 words) takes well under a third here.
    expect(blocksTextLength(blocks)).toBeLessThan(5000);
  });

  it('shows at most three must-fix findings, blockers first, and counts the rest', () => {
    const review = grounded('long-review', longReview);
    const text = textsOf(renderReply(review, meta).blocks);
    const blockers = review.findings.filter((f) => f.severity === 'blocker');
    for (const f of blockers.slice(0, 3)) expect(text).toContain(f.title.slice(0, 40).replace(/[<>&]/g, ''));
    const minor = review.findings.find((f) => f.severity === 'minor');
    expect(text).not.toContain(minor?.title.slice(0, 40));
    expect(text).toMatch(/\+ \d+ more findings \(.*\) in the full review/);
  });

  it('gives each clarifying question its own button, plus Answer all, Full review and the agent menu', () => {
    const review = grounded('long-review', longReview);
    const { blocks } = renderReply(review, meta);
    const elements = blocks
      .filter((b): b is KnownBlock & { type: 'actions' } => b.type === 'actions')
      .flatMap((b) => b.elements as { action_id?: string; value?: string }[]);
    const ids = elements.map((e) => e.action_id);
    for (const [i] of review.clarifyingQuestions.entries()) expect(ids).toContain(clarifyQuestionActionId(i));
    expect(ids).toEqual(
      expect.arrayContaining([ActionId.answerQuestions, ActionId.openFullReview, 'ask_another_agent']),
    );
    const first = elements.find((e) => e.action_id === clarifyQuestionActionId(0));
    expect(decodeQuestionButtonValue(first?.value ?? '')).toMatchObject({
      ok: true,
      value: { requestId: 'req-123', index: 0 },
    });
    expect(blocks.some((b) => (b.type as string) === 'context_actions')).toBe(true);
  });

  it('answers a question as an answer: no review header, its few points, its question', () => {
    const answer = grounded('short-answer', shortAnswer);
    const { blocks } = renderReply(answer, meta);
    expect(blocks.some((b) => b.type === 'header')).toBe(false);
    const text = textsOf(blocks);
    expect(text).toContain(answer.headline.slice(0, 40));
    expect(text).not.toMatch(/Sound with changes|Rethink|Recommended architecture|Roadmap/);
    expect(blocksTextLength(blocks)).toBeLessThan(3000);
  });

  it('keeps people’s context line for people: agent, model, time, and what was not read', () => {
    const { blocks } = renderReply(grounded('medium-review', mediumReview), meta);
    const line = textsOf(blocks.at(-1));
    expect(line).toContain('backend-architect · claude-sonnet-5-5 · 47 s');
    expect(line).toContain('capacity.xlsx');
    expect(line).not.toMatch(/tokens|cache/);
  });

  it('shows Claude’s Markdown as Slack formatting, not raw characters', () => {
    const text = textsOf(renderReply(grounded('long-review', longReview), meta).blocks);
    expect(text).not.toContain('**');
    expect(text).not.toMatch(/^#{1,6} /m);
  });
});

describe('the full review, one click away', () => {
  it('holds every section and every finding with its recommendation and evidence, within a modal’s limits', () => {
    const review = grounded('long-review', longReview);
    const modal = renderFullReviewModal(review, meta);
    expect(viewViolations(modal)).toEqual([]);
    const text = textsOf(modal.blocks);
    for (const f of review.findings) {
      expect(text).toContain(
        f.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').slice(0, 40),
      );
    }
    const verified = review.findings.filter((f) => f.verified);
    const unverified = review.findings.filter((f) => !f.verified);
    expect(unverified).toHaveLength(1);
    expect(text).toContain('Not tied to a quote from the thread');
    expect(text).toContain(
      verified[0]?.evidence
        ?.replace(/\s+/g, ' ')
        .slice(0, 20)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;'),
    );
    expect(text).toContain('*Technologies*');
    expect(text).toMatch(/tokens in \(12,000 from cache, 6,000 cached\), 2,900 out/);
    for (const title of ['Assumptions', 'Recommended architecture', 'Decisions', 'Alternatives', 'Roadmap']) {
      expect(text).toContain(`*${title}*`);
    }
  });

  it.each(FIXTURES)(
    '%s as thread messages (where a modal is refused) keeps each message within Slack’s limits',
    (name, load) => {
      const messages = renderFullReviewMessages(grounded(name, load), meta);
      for (const m of messages) {
        expect(blockKitViolations(m.blocks)).toEqual([]);
        expect(blocksTextLength(m.blocks)).toBeLessThanOrEqual(11_000);
      }
    },
  );
});

describe('nothing the bot sends can ping or mention', () => {
  it('neutralises @channel, @here, @everyone, user groups, users and channels from model text everywhere', () => {
    const review = grounded('long-review', longReview);
    expect(JSON.stringify(longReview())).toMatch(HOSTILE);
    const surfaces: unknown[] = [
      ...(['compact', 'minimal', 'text'] as ReplyDetail[]).map((d) => renderReply(review, meta, d)),
      renderFullReviewModal(review, meta),
      ...renderFullReviewMessages(review, meta),
    ];
    for (const surface of surfaces) expect(textsOf(surface)).not.toMatch(HOSTILE);
  });

  it('neutralises them in every other message too: progress, answers, failures, the request root, modals, Home', () => {
    const hostile = 'Ping <!channel> <!here> <!everyone> <!subteam^S1|devs> <@U0ALICE> <#C0GENERAL> please';
    const record = {
      requestId: 'r1',
      teamId: 'T1',
      channelId: 'C1',
      threadTs: '1.1',
      agentName: 'backend-architect',
      summary: hostile,
      questions: [{ label: hostile.slice(0, 60), question: hostile }],
      answered: [],
      userId: 'U1',
      createdAt: 0,
    };
    const surfaces: unknown[] = [
      renderProgress('backend-architect', { phase: 'writing', summary: hostile }),
      renderAnswers({ userId: 'U1', answers: [{ question: hostile, answer: hostile }] }),
      renderFailure({ agentName: 'backend-architect', reason: hostile, retryValue: 'r1' }),
      renderRequestRoot({ userId: 'U1', text: hostile, agentName: 'backend-architect' }),
      renderAnswerModal(record, [0]),
      renderHomeView({
        agents: [{ name: 'a', model: 'm', description: hostile }],
        reviews: [{ agentName: 'a', summary: hostile, channelId: 'C1', createdAt: 0 }],
        defaultAgent: 'a',
        reviewReaction: 'building_construction',
      }),
    ];
    for (const surface of surfaces) {
      // The bot's own references (the requester, the review's channel) are meant to link.
      expect(textsOf(surface).replace(/<@U1>|<#C1>/g, '')).not.toMatch(HOSTILE);
    }
  });
});
