-- Up Migration
-- One row per installation: a workspace's (team:T…) or an organisation's org-wide install (enterprise:E…).
-- The installation Bolt hands over, tokens included, is kept only sealed with AES-256-GCM; the clear
-- columns are what is looked up and what an operator may read.
CREATE TABLE slack_installations (
  installation_key text PRIMARY KEY,
  enterprise_id text,
  team_id text,
  is_enterprise_install boolean NOT NULL,
  bot_user_id text,
  sealed_installation text NOT NULL,
  bot_token_expires_at timestamptz,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE slack_installations;
