import { z } from 'zod';

/**
 * Posts ephemeral answers to a slash command's response_url: the one way to reach someone in a
 * channel the bot cannot post in. Only Slack's own hosts are ever called (hooks.slack.com, and
 * SLACK_API_URL's origin for proxies and tests), so a forged URL in job data leads nowhere.
 */
export class ResponseUrlClient {
  private readonly origins: string[];

  constructor(
    apiUrl: string | undefined,
    private readonly timeoutMs = 5000,
  ) {
    this.origins = ['https://hooks.slack.com', ...(apiUrl ? [new URL(apiUrl).origin] : [])];
  }

  /** True when the URL is one this client may call. */
  allows(url: string): boolean {
    const parsed = z.url().safeParse(url);
    if (!parsed.success) return false;
    const u = new URL(parsed.data);
    return u.username === '' && u.password === '' && this.origins.includes(u.origin);
  }

  /** Sends `text` as an ephemeral answer; false when the URL is not allowed or Slack refused it. */
  async sendEphemeral(url: string, text: string): Promise<boolean> {
    if (!this.allows(url)) return false;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return res.ok;
    } catch {
      return false;
    }
  }
}
