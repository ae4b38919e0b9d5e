import Anthropic from '@anthropic-ai/sdk';
import { ClaudeConsultant } from '../consultation/claude-consultant';
import type { CliConfig } from './cli-config';

/** The worker's consultant, with the same SDK settings, built from the command line's settings. */
export function createConsultant(config: CliConfig['anthropic']): ClaudeConsultant {
  const client = new Anthropic({
    apiKey: config.apiKey,
    ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
    maxRetries: config.maxRetries,
    timeout: config.timeoutMs,
  });
  return new ClaudeConsultant(client, {
    maxTokens: config.maxTokens,
    streamRetries: config.streamRetries,
    idleTimeoutMs: config.idleTimeoutMs,
  });
}
