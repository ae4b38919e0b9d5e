import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

import { CodedError, ErrorCode } from '../errors';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
/** v2 binds a value to what it belongs to (its row's key); v1, the key id only, is still opened, then resealed. */
const FORMAT = 'v2';
const LEGACY_FORMAT = 'v1';

/** Thrown when sealed data cannot be opened: an unknown key, or data that was altered. */
export class SealedDataError extends CodedError<typeof ErrorCode.SealedDataUnreadable> {
  constructor(message: string) {
    super(ErrorCode.SealedDataUnreadable, message);
  }
}

/**
 * Seals installations (their tokens) with AES-256-GCM. The first key seals; every key opens, so a key
 * is rotated by putting a new one first and keeping the old one until every row has been sealed again.
 * A sealed value names its key by a fingerprint (never the key), so opening needs no trial and error.
 */
export class TokenCipher {
  private readonly keys: { id: string; key: Buffer }[];

  /** `keys`: 32-byte keys, base64 or hex, the sealing key first. */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('TokenCipher needs at least one key');
    this.keys = keys.map((text) => {
      const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
      if (key.length !== 32) throw new Error('an installation encryption key must be 32 bytes');
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
    });
  }

  /**
   * `context` names what the value belongs to (an installation's key, a workspace's settings row): it is
   * authenticated with the value, so a sealed value copied to another row does not open there.
   */
  seal(plaintext: string, context: string): string {
    const { id, key } = this.sealingKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    // The key id is authenticated too: a value cannot be moved under another key's name.
    cipher.setAAD(aad(FORMAT, id, context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
      .join('.');
  }

  open(sealed: string, context: string): string {
    const [format, id, iv, tag, ciphertext] = sealed.split('.');
    if ((format !== FORMAT && format !== LEGACY_FORMAT) || !id || !iv || !tag || ciphertext === undefined)
      throw new SealedDataError('not a sealed value');
    const entry = this.keys.find((k) => k.id === id);
    if (!entry) throw new SealedDataError(`sealed with a key that is not configured (${id})`);
    try {
      const decipher = createDecipheriv(ALGORITHM, entry.key, Buffer.from(iv, 'base64'));
      decipher.setAAD(aad(format, id, context));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SealedDataError('sealed value does not authenticate (altered, or the wrong key)');
    }
  }

  /** Whether `sealed` was sealed with an older key or format and should be sealed again. */
  isStale(sealed: string): boolean {
    const [format, id] = sealed.split('.');
    return format !== FORMAT || id !== this.sealingKey().id;
  }

  private sealingKey(): { id: string; key: Buffer } {
    const first = this.keys[0];
    if (!first) throw new Error('TokenCipher has no key');
    return first;
  }
}

/** The authenticated data: the key id and, from v2 on, what the value belongs to. */
function aad(format: string, id: string, context: string): Buffer {
  return Buffer.from(format === LEGACY_FORMAT ? id : `${id}\n${context}`);
}
