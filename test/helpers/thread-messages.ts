import type { NamedThreadMessage } from '../../src/consultation/prompt';

/** A thread message as the prompt builder takes it: Alice saying hello at the root, unless told otherwise. */
export const threadMessage = (over: Partial<NamedThreadMessage> = {}): NamedThreadMessage => ({
  ts: '1.0001',
  threadTs: '1.0001',
  userId: 'U1',
  fromThisBot: false,
  fromOtherBot: false,
  text: 'hello',
  authorName: 'alice',
  ...over,
});
