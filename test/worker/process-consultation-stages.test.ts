import { groundReview } from '../../src/consultation/grounding';
import { askClaude, verdictFirst } from '../../src/worker/ask-claude';
import { deliverReview } from '../../src/worker/deliver-review';
import { gatherContext } from '../../src/worker/gather-context';
import type { ConsultationProgress } from '../../src/worker/progress/consultation-progress';
import { sampleReview } from '../fixtures/sample-review';
import { CHANNEL, USER } from '../helpers/slack-payloads';
import { startWorkerStages, type WorkerStageKit } from '../helpers/worker-stages';

/** Records what each stage reports, as the placeholder would show it. */
function recordedProgress(): ConsultationProgress & { phases: string[] } {
  const phases: string[] = [];
  return {
    phases,
    report: (p) => {
      phases.push(p.phase);
    },
    read: () => {
      phases.push('read');
    },
    stop: async () => undefined,
    fail: async () => undefined,
    clear: async () => undefined,
  };
}

describe('the worker’s middle stages, each on its own', () => {
  let kit: WorkerStageKit;
  beforeEach(async () => {
    kit = await startWorkerStages();
    kit.slack.addUser(USER, { name: 'alice', real_name: 'Alice Doe' });
  });
  afterEach(async () => {
    await kit.close();
  });

  const agent = () => {
    const found = kit.deps.agents.get('backend-architect');
    if (!found) throw new Error('the seed agent should load');
    return found;
  };

  it('gathers the whole thread with names, leaving out the placeholder and the restated request', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, {
      user: USER,
      text: 'Design: one Postgres, nightly export',
    });
    kit.slack.addMessage(CHANNEL, { user: USER, text: 'Exports take 40 minutes now', thread_ts: rootTs });
    const mentionTs = kit.slack.addMessage(CHANNEL, {
      user: USER,
      text: '<@UBOT> thoughts?',
      thread_ts: rootTs,
    });
    const placeholderTs = kit.slack.addMessage(CHANNEL, {
      user: 'UBOT',
      bot_id: 'BBOT',
      text: 'reviewing…',
      thread_ts: rootTs,
    });
    const run = kit.run({ threadTs: rootTs, messageTs: mentionTs, text: 'thoughts?' });
    const progress = recordedProgress();

    const context = await gatherContext(
      kit.stage(run, { opened: { threadTs: rootTs, placeholderTs }, agent: agent(), progress }),
    );

    expect(context.threadMessages).toBe(2);
    const sent = JSON.stringify(context.messages);
    expect(sent).toContain('Alice Doe');
    expect(sent).toContain('Exports take 40 minutes now');
    expect(sent).not.toContain('reviewing…');
    expect(progress.phases).toEqual(['reading', 'read']);
  });

  it('asks Claude with the agent’s prompt first and counts the tokens against the workspace', async () => {
    const spent: number[] = [];
    const costGuard = {
      recordTokens: async (_team: string, tokens: number) => void spent.push(tokens),
      canSpend: async () => ({ ok: true as const }),
    };
    kit.claude.enqueue({
      kind: 'review',
      review: sampleReview(),
      usage: { input_tokens: 1200, output_tokens: 800 },
    });
    const run = kit.run();
    const progress = recordedProgress();
    const context = {
      system: [{ type: 'text' as const, text: agent().systemPrompt }],
      messages: [{ role: 'user' as const, content: 'Review: one Postgres for orders and billing.' }],
      notes: [],
      stats: { omitted: 0, cut: 0, filesRead: 0, filesNotRead: 0 },
      threadMessages: 1,
    };

    const opened = { threadTs: '1.000001', placeholderTs: '1.000002' };
    const answer = await askClaude(
      kit.stage(run, { opened, agent: agent(), progress, deps: { costGuard } }),
      context,
    );

    expect(answer.review.tldr).toBe(sampleReview().tldr);
    expect(run.checkpoints.reply?.review.headline).toBe(sampleReview().headline);
    expect(JSON.stringify(kit.claude.lastRequest()?.body.system)).toContain(
      agent().systemPrompt.slice(0, 60),
    );
    expect(spent).toEqual([2000]);
    expect(progress.phases[0]).toBe('thinking');
  });

  it('delivers the review in the placeholder’s place without the questions the thread already answered', async () => {
    const rootTs = kit.slack.addMessage(CHANNEL, { user: USER, text: 'design' });
    const placeholderTs = kit.slack.addMessage(CHANNEL, {
      user: 'UBOT',
      bot_id: 'BBOT',
      text: 'reviewing…',
      thread_ts: rootTs,
    });
    const review = sampleReview();
    const answeredQuestion = review.clarifyingQuestions[0]?.question ?? '';
    const run = kit.run(
      { threadTs: rootTs, answeredQuestions: [answeredQuestion.toUpperCase()] },
      { placeholderTs },
    );
    const reply = {
      review: groundReview(review, 'the nightly export runs on the primary'),
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
      claudeMs: 1000,
      asOf: '2026-11-29',
      notes: [],
    };

    const delivered = await deliverReview(
      kit.stage(run, {
        opened: { threadTs: rootTs, placeholderTs },
        agent: agent(),
        progress: recordedProgress(),
      }),
      reply,
    );

    // A new message, so Slack notifies the thread's followers; the placeholder is gone.
    const replies = kit.slack.threadMessages(CHANNEL, rootTs).slice(1);
    expect(replies.map((m) => m.ts)).toEqual(delivered);
    expect(delivered[0]).not.toBe(placeholderTs);
    expect(kit.slack.callsTo('chat.update')).toHaveLength(0);
    expect(run.checkpoints.deliveredTs).toEqual(delivered);
    const stored = await kit.reviews.get(run.request.requestId);
    expect(stored?.review?.findings[0]?.verified).toBe(true);
    expect(stored?.questions.map((q) => q.question)).not.toContain(answeredQuestion);
    expect(stored?.questions).toHaveLength(review.clarifyingQuestions.length - 1);
  });
  it('shows the verdict and headline while Claude writes, as soon as they are complete, then the TL;DR', () => {
    expect(verdictFirst('{"kind":"review","verdict":"rethink","headline":"Orders on one', '')).toBe('');
    expect(verdictFirst('{"kind":"review","verdict":"rethink","headline":"Orders on one DB"', '')).toBe(
      '**Rethink** — Orders on one DB',
    );
    expect(verdictFirst('{"kind":"answer","headline":"Use UUIDv7","tldr":"Bec', 'Bec')).toBe(
      '**Use UUIDv7**\n\nBec',
    );
  });
  it('refuses before asking Claude when the workspace cannot afford the request today', async () => {
    const resetsAt = new Date('2026-11-30T00:00:00Z');
    const costGuard = {
      recordTokens: async () => undefined,
      canSpend: async () => ({ ok: false as const, reason: 'cost_guard' as const, limit: 1000, resetsAt }),
    };
    const context = {
      system: [{ type: 'text' as const, text: agent().systemPrompt }],
      messages: [{ role: 'user' as const, content: 'Review: one Postgres.' }],
      notes: [],
      stats: { omitted: 0, cut: 0, filesRead: 0, filesNotRead: 0 },
      threadMessages: 1,
    };
    await expect(
      askClaude(
        kit.stage(kit.run(), {
          opened: { threadTs: '1.000001', placeholderTs: '1.000002' },
          agent: agent(),
          progress: recordedProgress(),
          deps: { costGuard },
        }),
        context,
      ),
    ).rejects.toMatchObject({
      code: 'budget_spent',
      userMessage: expect.stringMatching(/used today’s Claude budget/),
    });
    expect(kit.claude.requests).toHaveLength(0);
  });
});
