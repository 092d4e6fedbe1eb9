import { DomainError, type Actor, type ErrorBody } from '@civil/contracts';

/** What a handler knows about the request besides its payload. */
export interface RpcContext {
  subject: string;
  /** Null only for public handlers called without an actor. */
  actor: Actor | null;
}

/**
 * The request's actor. The RPC server already refuses non-public requests without one; this
 * narrows the type for handlers and guards a handler mistakenly declared public.
 */
export function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}

/** Replies on the wire: a tagged union so clients never guess. */
export type RpcReply<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
