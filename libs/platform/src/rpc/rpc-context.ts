import type { Actor } from '@civil/contracts';

/** What a handler knows about the request besides its payload. */
export interface RpcContext {
  subject: string;
  /** Null only for public handlers called without an actor. */
  actor: Actor | null;
}

/** Replies on the wire: a tagged union so clients never guess. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: import('@civil/contracts').ErrorBody };
