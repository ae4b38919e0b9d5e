import type { KnownBlock } from '@slack/web-api';
import { emphasize, escapeMrkdwn, splitIntoChunks, truncate } from '../lib/mrkdwn';
import { RENDER_LIMITS, type SlackMessage } from './slack-message';

/**
 * The visible thread message with a person's answers to the architect's questions: who answered,
 * then each question in bold with the answer below it.
 */
export function renderAnswers(opts: {
  userId: string;
  answers: { question: string; answer: string }[];
}): SlackMessage {
  const who = /^[UW][A-Z0-9]+$/.test(opts.userId) ? `<@${opts.userId}>` : escapeMrkdwn(opts.userId);
  const intro = `:speech_balloon: ${who} answered the architect’s questions:`;
  const body = opts.answers
    .map((a) => `${emphasize('*', escapeMrkdwn(a.question.trim()))}\n${escapeMrkdwn(a.answer.trim())}`)
    .join('\n\n');
  const sections: KnownBlock[] = splitIntoChunks(`${intro}\n\n${body}`, RENDER_LIMITS.sectionText)
    .slice(0, RENDER_LIMITS.blocksPerMessage)
    .map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: chunk } }));
  const plain = opts.answers
    .map((a) => `${escapeMrkdwn(a.question.trim())}\n${escapeMrkdwn(a.answer.trim())}`)
    .join('\n\n');
  return {
    text: truncate(`${who} answered the architect’s questions:\n${plain}`, RENDER_LIMITS.fallbackText),
    blocks: sections,
  };
}
