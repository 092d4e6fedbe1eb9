import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, Patterns, hasAnyRole, type CountersReport } from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import { CountersProjection } from './counters.projection';

export const countersQuerySchema = z.object({ eventType: z.string().max(200).optional() }).strict();

@Injectable()
export class CountersHandlers {
  constructor(private readonly counters: CountersProjection) {}

  @RpcHandler(Patterns.reporting.counters, { schema: countersQuerySchema })
  async counts(query: z.output<typeof countersQuerySchema>, ctx: RpcContext): Promise<CountersReport> {
    // Aggregate counts hold no personal data: any staff member may read them.
    if (!ctx.actor || ctx.actor.kind === 'citizen' || !hasAnyRole(ctx.actor, ['leader', 'finance-officer', 'auditor', 'admin', 'clerk', 'place-names-officer', 'registrar', 'elderly-care-officer', 'township-reviewer', 'district-approver'])) {
      throw new DomainError('FORBIDDEN', 'reports are for bureau staff');
    }
    return this.counters.read(query.eventType);
  }
}
