import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Which of `tokens` an `Authorization: Bearer <token>` header names, as its 1-based number, or
 * undefined. Every token is compared, each in constant time over SHA-256 digests (equal lengths, so
 * neither a token's length nor how much of it matched shows in the time taken).
 */
export function bearerTokenNumber(header: string | undefined, tokens: readonly string[]): number | undefined {
  const given = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  if (!given) return undefined;
  const digest = sha256(given);
  let found: number | undefined;
  tokens.forEach((token, i) => {
    if (timingSafeEqual(digest, sha256(token)) && found === undefined) found = i + 1;
  });
  return found;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
