/**
 * Which installation serves a request: the workspace it came from, and the organisation when Slack says
 * an org-wide install serves it. What a job carries instead of a token.
 */
export interface WorkspaceRef {
  teamId: string;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}
