import { z } from 'zod';

const slackId = z.string().regex(/^[A-Z0-9]+$/, { message: 'must be a Slack id' });
/** GitHub's rules for an owner and a repository name. */
const githubOwner = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/);
const githubRepo = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/);
const adrPath = z
  .string()
  .regex(/^[A-Za-z0-9._/-]{1,200}$/)
  .refine((p) => !p.split('/').includes('..') && !p.startsWith('/'), {
    message: 'must stay in the repository',
  });

/** One channel's choices; each absent field falls back to the workspace's, then the environment's. */
export const ChannelSettingsSchema = z.object({
  defaultAgent: z.string().min(1).max(100).optional(),
  readFiles: z.boolean().optional(),
  saveAdrs: z.boolean().optional(),
});
export type ChannelSettings = z.infer<typeof ChannelSettingsSchema>;

/**
 * What a workspace's admins chose (App Home → Settings). Stored as it is parsed here: a row edited by
 * hand that no longer parses is treated as no settings, never trusted.
 */
export const WorkspaceSettingsSchema = z.object({
  /** The workspace's ADR repository; its token is stored apart, sealed. */
  adr: z.object({ owner: githubOwner, repo: githubRepo, path: adrPath }).optional(),
  /** Who may ask in this workspace, besides ALLOWED_USERS; empty or absent lets everyone in. */
  allowedUsers: z.array(slackId).max(1000).optional(),
  /** Claude tokens this workspace may spend per UTC day; absent uses DAILY_TOKEN_BUDGET_PER_TEAM. */
  dailyTokenBudget: z.number().int().min(0).optional(),
  channels: z.record(slackId, ChannelSettingsSchema).optional(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

/** A workspace's settings and, when an ADR repository is set, the token that reaches it. */
export interface StoredWorkspaceSettings {
  settings: WorkspaceSettings;
  githubToken: string | undefined;
}

/** Where each workspace's settings live: PostgreSQL in OAuth mode, Redis with one workspace. */
export interface WorkspaceSettingsStore {
  get(teamId: string): Promise<StoredWorkspaceSettings | undefined>;
  /** `githubToken`: a new token, `undefined` to keep the stored one, `null` to remove it. */
  save(
    teamId: string,
    settings: WorkspaceSettings,
    githubToken: string | null | undefined,
    by: string,
  ): Promise<void>;
  /** Forgets the workspace's settings (it uninstalled the app). */
  forget(teamId: string): Promise<void>;
}

/** What the cipher binds a workspace's sealed token to: a row copied to another workspace does not open. */
export const sealedTokenContext = (teamId: string) => `workspace-settings:team:${teamId}`;
