import { z } from 'zod';
import type { RecordedRequest } from '../fakes/anthropic-fake';

const TurnsSchema = z.object({
  messages: z.array(
    z.object({
      content: z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }))]),
    }),
  ),
});

/** The text of every turn of a request Claude was sent (documents and images left out). */
export function turnTexts(request: RecordedRequest | undefined): string {
  const { messages } = TurnsSchema.parse(request?.body);
  return messages
    .flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.map((b) => b.text ?? '')))
    .join('\n');
}

/** The team's ADRs as a request gave them to Claude (its <team_decisions> element), or undefined. */
export function teamDecisionsIn(request: RecordedRequest | undefined): string | undefined {
  return /<team_decisions[\s\S]*?<\/team_decisions>/.exec(turnTexts(request))?.[0];
}
