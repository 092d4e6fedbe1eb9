import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const RPC_HANDLER = 'civil:rpc-handler';

export interface RpcHandlerOptions {
  /** The request is validated with this schema; the handler receives the parsed value. */
  schema: z.ZodType;
  /** Public requests need no actor (e.g. place-name search); everything else refuses without one. */
  public?: boolean;
}

export interface RpcHandlerMetadata extends RpcHandlerOptions {
  subject: string;
}

/** Marks a provider method as the handler of a NATS request subject. */
export function RpcHandler(subject: string, options: RpcHandlerOptions): MethodDecorator {
  return SetMetadata(RPC_HANDLER, { subject, ...options } satisfies RpcHandlerMetadata);
}
