import { ConsultationJobSchema } from '../../src/queue/consultation-job';

const asked = {
  requestId: 'r-1',
  trigger: 'command',
  teamId: 'T0001',
  channelId: 'C0001',
  userId: 'U0001',
  agentName: 'backend-architect',
  text: 'review: one Postgres for orders and billing',
  requestedAt: 1_764_000_000_000,
};

describe('a consultation job: what was asked, and how far the worker got', () => {
  it('keeps the request and the checkpoints apart', () => {
    const job = ConsultationJobSchema.parse({
      request: asked,
      checkpoints: { threadTs: '1700000000.000100', placeholderTs: '1700000000.000200' },
    });
    expect(job.request).toEqual(asked);
    expect(job.checkpoints).toEqual({ threadTs: '1700000000.000100', placeholderTs: '1700000000.000200' });
  });

  it('reads a job queued in the earlier flat shape as its two parts, the thread as both', () => {
    const job = ConsultationJobSchema.parse({
      ...asked,
      threadTs: '1700000000.000100',
      placeholderTs: '1700000000.000200',
      deliveredTs: ['1700000000.000300'],
      answersTs: '1700000000.000400',
    });
    expect(job.request).toEqual({ ...asked, threadTs: '1700000000.000100' });
    expect(job.checkpoints).toEqual({
      threadTs: '1700000000.000100',
      placeholderTs: '1700000000.000200',
      deliveredTs: ['1700000000.000300'],
      answersTs: '1700000000.000400',
    });
  });

  it('refuses a checkpoint that is not a Slack message ts, naming the field', () => {
    const parsed = ConsultationJobSchema.safeParse({
      request: asked,
      checkpoints: { placeholderTs: 'soon' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['checkpoints', 'placeholderTs']);
  });
});
