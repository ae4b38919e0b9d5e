import type { Context } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Requester } from '../access/access-policy';
import { admitConsultation, type Refusal } from './admission';
import type { IngressDeps } from './ingress-deps';
import { replies } from './replies';
import { tellUser } from './tell-user';

/** Where a click (a button, a menu, a form's submission) came from, as Slack and Bolt say it. */
export interface Click {
  teamId: string;
  enterpriseId: string | undefined;
  /** Undefined for a form's submission: a modal belongs to no channel. */
  channelId: string | undefined;
  userId: string;
}

/** What a click acts on: a stored review, or the failed request a Retry repeats. */
export interface ClickTarget {
  teamId: string;
  enterpriseId?: string | undefined;
  channelId: string;
}

/** The parts of a Bolt interaction payload a click's origin is read from. */
interface InteractionBody {
  team?: { id?: string } | null;
  enterprise?: { id?: string } | null;
  user: { id: string; team_id?: string };
  channel?: { id?: string };
}

export function clickOf(body: InteractionBody, context: Pick<Context, 'teamId' | 'enterpriseId'>): Click {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? context.teamId ?? '',
    enterpriseId: body.enterprise?.id ?? context.enterpriseId ?? undefined,
    channelId: body.channel?.id,
    userId: body.user.id,
  };
}

/**
 * Whether the click comes from where its target lives: the same workspace, the same organisation and,
 * for a button on a message, the same channel. A request id in a button's value is only a pointer:
 * anyone can send any value, so the stored review, not the value, says where it belongs.
 */
export function sameContext(target: ClickTarget, click: Click): boolean {
  if (target.teamId !== click.teamId) return false;
  if ((target.enterpriseId ?? undefined) !== click.enterpriseId) return false;
  return click.channelId === undefined || click.channelId === target.channelId;
}

/**
 * The admission every click goes through before it does anything: the context check, then the same
 * allowlists as a request and, when it `costs` (a Claude call, an upload and a pull request), the
 * person's hourly limit and the workspace's budget, counted once per `requestKey`.
 */
export async function admitClick(
  deps: Pick<IngressDeps, 'access' | 'costGuard' | 'metrics' | 'logger'>,
  target: ClickTarget,
  click: Click,
  opts: { costs: boolean; requestKey: string },
): Promise<{ ok: true } | { ok: false; refusal: Refusal | undefined }> {
  if (!sameContext(target, click)) {
    deps.metrics?.recordRefusal('not_allowed');
    deps.logger.warn(
      { teamId: click.teamId, reviewTeamId: target.teamId, channelId: click.channelId },
      'click refused: it does not come from where its review lives',
    );
    return { ok: false, refusal: { reason: 'wrong_place' } };
  }
  const who: Requester = { teamId: click.teamId, channelId: target.channelId, userId: click.userId };
  return admitConsultation(deps, who, opts.requestKey, { callsClaude: opts.costs });
}

/** `admitClick`, telling the person privately why a refused click did nothing. */
export async function admitClickOrTell(
  deps: Pick<IngressDeps, 'access' | 'costGuard' | 'metrics' | 'logger'>,
  client: WebClient,
  target: ClickTarget,
  click: Click,
  opts: { costs: boolean; requestKey: string; threadTs?: string | undefined },
): Promise<boolean> {
  const admitted = await admitClick(deps, target, click, opts);
  if (admitted.ok) return true;
  if (admitted.refusal) {
    await tellUser(
      client,
      deps.logger,
      { channel: click.channelId ?? target.channelId, user: click.userId, threadTs: opts.threadTs },
      replies.refusal(admitted.refusal),
    );
  }
  return false;
}
