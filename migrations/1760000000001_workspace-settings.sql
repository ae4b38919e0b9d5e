-- Up Migration
-- One row per workspace (team:T…): what its admins chose in the App Home's Settings, over the defaults of
-- the environment. The GitHub token of its ADR repository is kept only sealed, bound to the row's key.
CREATE TABLE workspace_settings (
  workspace_key text PRIMARY KEY,
  settings jsonb NOT NULL,
  sealed_github_token text,
  updated_by text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE workspace_settings;
