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

interface ActionOptions {
  actionId: string;
  value: string;
  messageTs: string;
  channel?: string;
  user?: string;
  threadTs?: string;
  /** Where `respond()` posts; point it at the Slack fake, since hooks.slack.com is out of reach. */
  responseUrl?: string;
  /** The clicker's workspace; TEAM by default. */
  team?: string;
  /** The clicker's organisation (Enterprise Grid); none by default. */
  enterprise?: string;
}

/** A block_actions payload, as Slack sends it for a click on one element of a bot message. */
function blockActionsPayload(opts: ActionOptions, action: Record<string, unknown>): string {
  const channel = opts.channel ?? CHANNEL;
  const team = opts.team ?? TEAM;
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: 'acme' },
    ...(opts.enterprise
      ? { enterprise: { id: opts.enterprise, name: 'Org' }, is_enterprise_install: false }
      : {}),
    user: { id: opts.user ?? USER, username: 'alice', team_id: team },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: opts.messageTs, channel_id: channel, is_ephemeral: false },
    trigger_id: `${Date.now()}.1.trigger`,
    channel: { id: channel, name: 'design' },
    message: {
      type: 'message',
      ts: opts.messageTs,
      thread_ts: opts.threadTs,
      text: 'review',
      user: 'UBOT',
      bot_id: 'BBOT',
    },
    response_url: opts.responseUrl ?? 'https://hooks.slack.com/actions/T0001/1/abc',
    actions: [{ action_id: opts.actionId, action_ts: `${Date.now() / 1000}`, ...action }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** A click on a button. */
export function blockActionsBody(opts: ActionOptions): string {
  return blockActionsPayload(opts, { type: 'button', block_id: 'b1', value: opts.value });
}

/** A choice in a static_select menu. */
export function selectActionBody(opts: ActionOptions): string {
  return blockActionsPayload(opts, {
    type: 'static_select',
    block_id: 'agents',
    selected_option: { text: { type: 'plain_text', text: 'agent' }, value: opts.value },
  });
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
  return viewSubmission({ ...opts.view, title: 'Answer' }, values, opts.user);
}

/** Alice's DM with the bot, as the Slack fake names it (`SlackApiFake.imChannel`). */
export const DM = 'D0ALICE';

/** A message event in the bot's DM, as Slack sends it for message.im. */
export function directMessageEvent(opts: {
  ts: string;
  text: string;
  user?: string;
  threadTs?: string;
  botId?: string;
  appContext?: unknown;
  files?: unknown[];
}): Record<string, unknown> {
  return {
    type: 'message',
    channel: DM,
    channel_type: 'im',
    ...(opts.botId ? { bot_id: opts.botId, subtype: 'bot_message' } : { user: opts.user ?? USER }),
    text: opts.text,
    ts: opts.ts,
    ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
    ...(opts.files ? { files: opts.files, subtype: 'file_share' } : {}),
    ...(opts.appContext ? { app_context: opts.appContext } : {}),
  };
}

/** app_home_opened for the Messages tab: under the agent view, the person opened the bot's DM. */
export function messagesTabOpenedEvent(context?: unknown): Record<string, unknown> {
  return {
    type: 'app_home_opened',
    user: USER,
    channel: DM,
    tab: 'messages',
    ...(context ? { context } : {}),
  };
}

/** app_context_changed: what the person is looking at while the agent's DM is open. */
export function appContextChangedEvent(entities: unknown[]): Record<string, unknown> {
  return { type: 'app_context_changed', user: USER, channel: DM, context: { entities } };
}

/** A message_action payload: "…" → "Review with Architect" on `message` in `channel`. */
export function messageShortcutBody(opts: {
  message: { ts: string; text: string; user?: string; thread_ts?: string };
  channel?: string;
  user?: string;
  responseUrl?: string;
}): string {
  const channel = opts.channel ?? CHANNEL;
  const payload = {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team: { id: TEAM, domain: 'acme' },
    user: { id: opts.user ?? USER, name: 'alice', username: 'alice', team_id: TEAM },
    channel: { id: channel, name: 'design' },
    is_enterprise_install: false,
    callback_id: 'review_with_architect',
    trigger_id: `${Date.now()}.4.shortcut`,
    message_ts: opts.message.ts,
    message: { type: 'message', user: opts.message.user ?? USER, ...opts.message },
    response_url: opts.responseUrl ?? 'https://hooks.slack.com/app/T0001/1/abc',
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The "Review with Architect" form submitted: the view the app opened, with the agent and note chosen. */
export function reviewFormSubmissionBody(opts: {
  view: { id: string; callback_id: string; private_metadata: string };
  agent: string;
  note?: string;
}): string {
  return viewSubmission(
    { ...opts.view, title: 'Review with Architect' },
    {
      agent: {
        agent: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: opts.agent }, value: opts.agent },
        },
      },
      note: { note: { type: 'plain_text_input', value: opts.note ?? null } },
    },
  );
}

/** The "Save as ADR" form submitted: the view the app opened, with what the person left in its fields. */
export function adrFormSubmissionBody(opts: {
  view: { id: string; callback_id: string; private_metadata: string };
  title: string;
  status?: 'proposed' | 'accepted';
  decision: string;
  context?: string;
  user?: string;
  /** The submitter's workspace; TEAM by default. */
  team?: string;
}): string {
  const status = opts.status ?? 'proposed';
  return viewSubmission(
    { ...opts.view, title: 'Save as ADR' },
    {
      adr_title: { adr_title: { type: 'plain_text_input', value: opts.title } },
      adr_status: {
        adr_status: {
          type: 'radio_buttons',
          selected_option: { text: { type: 'plain_text', text: status }, value: status },
        },
      },
      adr_decision: { adr_decision: { type: 'plain_text_input', value: opts.decision } },
      adr_context: { adr_context: { type: 'plain_text_input', value: opts.context ?? null } },
    },
    opts.user,
    opts.team,
  );
}

/** The Home tab's ADR repository form submitted, by `user` of `team`. */
export function settingsFormSubmissionBody(opts: {
  view: { id: string; callback_id: string; private_metadata?: string };
  repository: string;
  path: string;
  token: string;
  user: string;
  team: string;
}): string {
  const input = (value: string) => ({ type: 'plain_text_input', value: value || null });
  return viewSubmission(
    { ...opts.view, private_metadata: opts.view.private_metadata ?? '', title: 'ADR repository' },
    {
      settings_repository: { settings_repository: input(opts.repository) },
      settings_adr_path: { settings_adr_path: input(opts.path) },
      settings_github_token: { settings_github_token: input(opts.token) },
    },
    opts.user,
    opts.team,
  );
}

/** A view_submission payload, as Slack sends it when someone submits a modal the app opened. */
function viewSubmission(
  view: { id: string; callback_id: string; private_metadata: string; hash?: string; title: string },
  values: Record<string, Record<string, unknown>>,
  user = USER,
  team = TEAM,
): string {
  const payload = {
    type: 'view_submission',
    team: { id: team, domain: 'acme' },
    user: { id: user, username: 'alice', name: 'alice', team_id: team },
    api_app_id: 'A0ARCHITECT',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.3.trigger`,
    view: {
      id: view.id,
      team_id: team,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      hash: view.hash ?? '1.abc',
      state: { values },
      blocks: [],
      title: { type: 'plain_text', text: view.title },
    },
    response_urls: [],
    is_enterprise_install: false,
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
