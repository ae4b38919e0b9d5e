import Anthropic from '@anthropic-ai/sdk';
import { ClaudeConsultant } from '../consultation/claude-consultant';
import type { CliConfig } from './cli-config';

/** What a review asks Claude through: the worker's consultant, or one wrapped to count its tokens. */
export type Consultant = Pick<ClaudeConsultant, 'consult'>;

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
