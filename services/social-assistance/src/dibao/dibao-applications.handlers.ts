import { Injectable } from '@nestjs/common';
import {
  DomainError,
  Patterns,
  dibaoActionRequestSchema,
  getDibaoApplicationSchema,
  listOverdueApplicationsSchema,
  submitDibaoApplicationSchema,
  type Actor,
  type DibaoApplicationView,
} from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { DibaoApplicationsService } from './dibao-applications.service';

@Injectable()
export class DibaoApplicationsHandlers {
  constructor(private readonly applications: DibaoApplicationsService) {}

  @RpcHandler(Patterns.socialAssistance.submitDibao, { schema: submitDibaoApplicationSchema })
  async submit(input: z.output<typeof submitDibaoApplicationSchema>, ctx: RpcContext): Promise<DibaoApplicationView> {
    return this.applications.submit(input.householdId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.actOnDibao, { schema: dibaoActionRequestSchema })
  async act(input: z.output<typeof dibaoActionRequestSchema>, ctx: RpcContext): Promise<DibaoApplicationView> {
    return this.applications.act(input.applicationId, input.action, input.payload, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.getDibao, { schema: getDibaoApplicationSchema })
  async get(input: z.output<typeof getDibaoApplicationSchema>, ctx: RpcContext): Promise<DibaoApplicationView> {
    return this.applications.get(input.id, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAssistance.listOverdueDibao, { schema: listOverdueApplicationsSchema })
  async overdue(input: z.output<typeof listOverdueApplicationsSchema>, ctx: RpcContext): Promise<{ items: DibaoApplicationView[] }> {
    return input.today ? this.applications.listOverdue(requireActor(ctx), input.today) : this.applications.listOverdue(requireActor(ctx));
  }
}

function requireActor(ctx: RpcContext): Actor {
  if (!ctx.actor) throw new DomainError('UNAUTHENTICATED', 'an actor is required');
  return ctx.actor;
}
