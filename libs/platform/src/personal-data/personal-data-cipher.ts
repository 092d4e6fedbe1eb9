import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { SealedResidentId } from '@civil/contracts';

/**
 * Resident ID numbers at rest (architecture rule 9, issue 8): a database dump alone must not
 * expose them. Each service stores, instead of the number,
 *   - `…_enc`: AES-256-GCM ciphertext (random nonce, authenticated), to show it when allowed, and
 *   - `…_hash`: an HMAC-SHA256 of the normalised number, to find and join by it with plain SQL,
 * both under keys derived (HKDF) from PERSONAL_DATA_KEY, which lives in the environment (a
 * Kubernetes Secret), never in the database. Facts computed from the number (birth date, sex,
 * region) are stored as their own columns when SQL needs them.
 *
 * The development key is public: it exists so tests and a laptop work without set-up, and is
 * refused in production. The launcher generates a real key per data directory.
 */
export const DEVELOPMENT_PERSONAL_DATA_KEY = createHash('sha256').update('civil-affairs platform: public development key, never for real data').digest('base64');

export const personalDataConfigSchema = z.object({
  /** 32 random bytes, base64 (`openssl rand -base64 32`). Required when NODE_ENV=production. */
  PERSONAL_DATA_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(value), 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
});

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class PersonalDataKeyMissingError extends Error {
  override readonly name = 'PersonalDataKeyMissingError';
  constructor() {
    super('PERSONAL_DATA_KEY is required when NODE_ENV=production (32 random bytes, base64: openssl rand -base64 32)');
  }
}

export class PersonalDataCipher {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(masterKeyBase64: string) {
    const master = Buffer.from(masterKeyBase64, 'base64');
    if (master.length !== 32) throw new Error('the personal data key must be 32 bytes');
    this.encryptionKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'civil personal data encryption v1', 32));
    this.lookupKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'civil personal data lookup v1', 32));
  }

  /** From the environment: the configured key, the development key outside production, else an error. */
  static fromEnvironment(env: { NODE_ENV?: string; PERSONAL_DATA_KEY?: string | undefined } = process.env): PersonalDataCipher {
    const key = env.PERSONAL_DATA_KEY && env.PERSONAL_DATA_KEY !== '' ? env.PERSONAL_DATA_KEY : undefined;
    if (!key && env.NODE_ENV === 'production') throw new PersonalDataKeyMissingError();
    return new PersonalDataCipher(key ?? DEVELOPMENT_PERSONAL_DATA_KEY);
  }

  /** `v1.<base64url(nonce | ciphertext | tag)>`; the same number encrypts differently each time. */
  encrypt(plain: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** Throws when the value was not encrypted under this key or was altered. */
  decrypt(stored: string): string {
    const [version, payload] = stored.split('.', 2);
    if (version !== VERSION || !payload) throw new Error('not a personal-data ciphertext');
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error('personal-data ciphertext too short');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, bytes.subarray(0, NONCE_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** 64 hex characters; equal numbers (x or X) give equal hashes, so SQL can look up and join by it. */
  lookupHash(residentId: string): string {
    return createHmac('sha256', this.lookupKey).update(residentId.trim().toUpperCase()).digest('hex');
  }

  /**
   * The number inside a sealed resident ID from an event or a row, checked against its hash: a
   * ciphertext that opens to another number (a tampered or mixed-up pair) is an error, and so is
   * one made under another key (services configured with different PERSONAL_DATA_KEYs).
   */
  unseal(sealed: SealedResidentId): string {
    const residentId = this.decrypt(sealed.enc);
    if (this.lookupHash(residentId) !== sealed.hash) throw new Error('sealed resident ID: the ciphertext does not match its hash');
    return residentId;
  }
}

export type { SealedResidentId };

/** Normalised (trimmed, check character upper case) before hashing and encrypting. */
export function sealResidentId(cipher: PersonalDataCipher, residentId: string): SealedResidentId {
  const normalised = residentId.trim().toUpperCase();
  return { hash: cipher.lookupHash(normalised), enc: cipher.encrypt(normalised) };
}

/** The lookup hash of an actor's resident ID, or null when the actor has none (staff: they match nobody). */
export function lookupHashOrNull(cipher: PersonalDataCipher, residentId: string | null | undefined): string | null {
  return residentId === undefined || residentId === null || residentId === '' ? null : cipher.lookupHash(residentId);
}
