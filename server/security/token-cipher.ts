import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals OAuth tokens for storage: AES-256-GCM with a fresh 12-byte IV per value, stored as
 * iv || tag || ciphertext next to the id of the key that sealed it. Keys rotate by putting a new key
 * first in TOKEN_ENCRYPTION_KEYS: new writes use it, old rows still open with the key they name.
 */

export type EncryptionKey = { id: string; key: Buffer };
export type Sealed = { keyId: string; blob: Buffer };

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class TokenCipher {
  readonly #keys: Map<string, Buffer>;
  readonly #current: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    const [current] = keys;
    if (!current) throw new Error('TokenCipher needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes, got ${key.length}`);
    }
    this.#current = current;
    this.#keys = new Map(keys.map((k) => [k.id, k.key]));
  }

  get currentKeyId(): string {
    return this.#current.id;
  }

  /** `context` (e.g. "portal:123:refresh") is bound as associated data: a blob moved to another row won't open. */
  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.#current.id, blob: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]) };
  }

  open(sealed: Sealed, context: string): string {
    const key = this.#keys.get(sealed.keyId);
    if (!key) throw new Error(`no encryption key "${sealed.keyId}" is configured; it is needed to read this token`);
    if (sealed.blob.length < IV_BYTES + TAG_BYTES) throw new Error('sealed token is truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.blob.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }
}
