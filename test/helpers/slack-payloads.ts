import { randomUUID } from 'node:crypto';

/** Builders for what Slack sends the app: slash commands, event callbacks, interactivity payloads. */

export const TEAM = 'T0001';
export const CHANNEL = 'C0DESIGN';
export const USER = 'U0ALICE';

export function slashCommandBody(text: string, overrides: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM,
    team_domain: 'acme',
    channel_id: CHANNEL,
    channel_name: 'design',
    user_id: USER,
    user_name: 'alice',
    command: '/architect',
    text,
    api_app_id: 'A0ARCHITECT',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.com/commands/T0001/1/abc',
    trigger_id: `${Date.now()}.${Math.floor(Math.random() * 1e9)}.abcdef`,
    ...overrides,
  }).toString();
}

export function eventCallback(
  event: Record<string, unknown>,
  eventId = `Ev${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`,
): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM,
    api_app_id: 'A0ARCHITECT',
    event: { event_ts: event.ts ?? `${Date.now() / 1000}`, ...event },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });
}

export function blockActionsBody(opts: {
  actionId: string;
  value: string;
  messageTs: string;
  channel?: string;
  user?: string;
  threadTs?: string;
  /** Where `respond()` posts; point it at the Slack fake, since hooks.slack.com is out of reach. */
  responseUrl?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'acme' },
    user: { id: opts.user ?? USER, username: 'alice', team_id: TEAM },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: opts.messageTs,
      channel_id: opts.channel ?? CHANNEL,
      is_ephemeral: false,
    },
    trigger_id: `${Date.now()}.1.trigger`,
    channel: { id: opts.channel ?? CHANNEL, name: 'design' },
    message: {
      type: 'message',
      ts: opts.messageTs,
      thread_ts: opts.threadTs,
      text: 'review',
      user: 'UBOT',
      bot_id: 'BBOT',
    },
    response_url: opts.responseUrl ?? 'https://hooks.slack.com/actions/T0001/1/abc',
    actions: [
      {
        type: 'button',
        action_id: opts.actionId,
        block_id: 'b1',
        value: opts.value,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A block_actions payload for a static_select choice. */
export function selectActionBody(opts: {
  actionId: string;
  value: string;
  messageTs: string;
  threadTs?: string;
  user?: string;
}): string {
  const payload = {
    type: 'block_actions',
    team: { id: TEAM, domain: 'acme' },
    user: { id: opts.user ?? USER, username: 'alice', team_id: TEAM },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: opts.messageTs, channel_id: CHANNEL, is_ephemeral: false },
    trigger_id: `${Date.now()}.2.trigger`,
    channel: { id: CHANNEL, name: 'design' },
    message: {
      type: 'message',
      ts: opts.messageTs,
      thread_ts: opts.threadTs,
      text: 'review',
      user: 'UBOT',
      bot_id: 'BBOT',
    },
    actions: [
      {
        type: 'static_select',
        action_id: opts.actionId,
        block_id: 'agents',
        selected_option: { text: { type: 'plain_text', text: 'agent' }, value: opts.value },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A view_submission payload for a modal the app opened: `answers` maps block ids to typed text. */
export function viewSubmissionBody(opts: {
  view: { id: string; callback_id: string; private_metadata: string; hash?: string };
  answers: Record<string, string>;
  rerun?: boolean;
  user?: string;
}): string {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [blockId, text] of Object.entries(opts.answers)) {
    values[blockId] = { answer: { type: 'plain_text_input', value: text } };
  }
  const option = { text: { type: 'plain_text', text: 'Re-run the review' }, value: 'rerun' };
  values.rerun = { rerun: { type: 'checkboxes', selected_options: opts.rerun === false ? [] : [option] } };
  const payload = {
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: opts.user ?? USER, username: 'alice', name: 'alice', team_id: TEAM },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.3.trigger`,
    view: {
      id: opts.view.id,
      team_id: TEAM,
      type: 'modal',
      callback_id: opts.view.callback_id,
      private_metadata: opts.view.private_metadata,
      hash: opts.view.hash ?? '1.abc',
      state: { values },
      blocks: [],
      title: { type: 'plain_text', text: 'Answer' },
    },
    response_urls: [],
    is_enterprise_install: false,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
