import { Injectable } from '@nestjs/common';
import {
  DomainError,
  Patterns,
  dibaoActionRequestSchema,
  getDibaoApplicationSchema,
  listOverdueApplicationsSchema,
  previewDibaoBenefitSchema,
  submitDibaoApplicationSchema,
  type DibaoBenefitPreview,
  type Actor,
  type DibaoApplicationView,
} from '@civil/contracts';
import { RpcHandler, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import { BenefitPreviewService } from './benefit-preview.service';
import { DibaoApplicationsService } from './dibao-applications.service';

@Injectable()
export class DibaoApplicationsHandlers {
  constructor(
    private readonly applications: DibaoApplicationsService,
    private readonly benefits: BenefitPreviewService,
  ) {}

  @RpcHandler(Patterns.socialAssistance.previewDibaoBenefit, { schema: previewDibaoBenefitSchema })
  async benefit(input: z.output<typeof previewDibaoBenefitSchema>, ctx: RpcContext): Promise<DibaoBenefitPreview> {
    return input.onDate ? this.benefits.preview(input.id, requireActor(ctx), input.onDate) : this.benefits.preview(input.id, requireActor(ctx));
  }

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
