import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { DomainError } from '@civil/contracts';
import { NatsConnectionService, PLATFORM_CONFIG } from '@civil/platform';
import type { GatewayConfig } from '../config';

export const IDEMPOTENCY_BUCKET = 'gateway-idempotency';
/** Replies larger than this are not kept (a NATS message holds 1 MiB); a retry then gets the status alone. */
const MAX_STORED_BODY_BYTES = 512 * 1024;

type Entry =
  | { state: 'in-progress'; fingerprint: string; startedAt: number }
  | { state: 'done'; fingerprint: string; status: number; contentType: string; body: string | null };

export type Claim =
  | { kind: 'first'; key: string; fingerprint: string }
  | { kind: 'replay'; status: number; contentType: string; body: string | null };

/** `Idempotency-Key` values: 1–255 visible ASCII characters (a UUID is the usual choice). */
export function checkIdempotencyKey(value: string): void {
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new DomainError('VALIDATION_FAILED', 'the Idempotency-Key header is not valid', [
      { field: 'Idempotency-Key', rule: 'format', message: 'must be 1 to 255 visible ASCII characters, e.g. a UUID' },
    ]);
  }
}

/** JSON with object keys sorted, so the same request in another key order has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Idempotency-Key support for POST routes, kept in a NATS KV bucket so every gateway replica sees
 * the same keys. The first request with a key claims it (an atomic create); a retry with the same
 * key and the same request gets the first reply again, with the same request changed it is a 422;
 * a retry while the first is still running waits for it. A gateway that dies mid-request leaves a
 * claim that lapses after twice the request timeout. Outcomes are kept for IDEMPOTENCY_TTL_SECONDS.
 *
 * When the service does not answer in time the outcome is unknown (it may still commit), so the
 * claim is kept until it lapses rather than released at once: a quick retry cannot create twice.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit {
  private kv?: KV;

  constructor(
    private readonly nats: NatsConnectionService,
    @Inject(PLATFORM_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.kv = await new Kvm(this.nats.nc).create(IDEMPOTENCY_BUCKET, { history: 1, ttl: this.config.IDEMPOTENCY_TTL_SECONDS * 1000, replicas: this.config.EVENT_STREAM_REPLICAS });
  }

  private get bucket(): KV {
    if (!this.kv) throw new Error('the idempotency bucket is not open yet');
    return this.kv;
  }

  private get leaseMs(): number {
    return 2 * this.config.NATS_REQUEST_TIMEOUT_MS + 1000;
  }

  async claim(scope: { userId: string | null; method: string; route: string }, idempotencyKey: string, input: unknown): Promise<Claim> {
    const key = sha256(`${scope.userId ?? '(anonymous)'}\n${scope.method} ${scope.route}\n${idempotencyKey}`);
    const fingerprint = sha256(canonical(input));
    const deadline = Date.now() + this.leaseMs;
    for (;;) {
      const claimed: Entry = { state: 'in-progress', fingerprint, startedAt: Date.now() };
      try {
        await this.bucket.create(key, JSON.stringify(claimed));
        return { kind: 'first', key, fingerprint };
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
      const current = await this.bucket.get(key);
      if (!current || current.operation !== 'PUT') continue;
      const entry = current.json<Entry>();
      if (entry.fingerprint !== fingerprint) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request; use a new key for a new request');
      }
      if (entry.state === 'done') return { kind: 'replay', status: entry.status, contentType: entry.contentType, body: entry.body };
      if (Date.now() - entry.startedAt > this.leaseMs) {
        // The first attempt's gateway died or its outcome stayed unknown: take the claim over, atomically.
        try {
          await this.bucket.update(key, JSON.stringify(claimed), current.revision);
          return { kind: 'first', key, fingerprint };
        } catch (error) {
          if (!isWrongLastSequence(error)) throw error;
          continue;
        }
      }
      if (Date.now() > deadline) throw new DomainError('CONFLICT', 'a request with this Idempotency-Key is still being processed; retry later');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async complete(claim: Extract<Claim, { kind: 'first' }>, status: number, contentType: string, body: string): Promise<void> {
    const stored = Buffer.byteLength(body) <= MAX_STORED_BODY_BYTES ? body : null;
    const entry: Entry = { state: 'done', fingerprint: claim.fingerprint, status, contentType, body: stored };
    await this.bucket.put(claim.key, JSON.stringify(entry));
  }
}

/** The server's "wrong last sequence": the key exists already, or changed since it was read. */
function isWrongLastSequence(error: unknown): boolean {
  return error instanceof JetStreamApiError && (error.code === JetStreamApiCodes.StreamWrongLastSequence || error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown);
}
