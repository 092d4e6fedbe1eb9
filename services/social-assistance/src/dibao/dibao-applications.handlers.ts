import { Injectable } from '@nestjs/common';
import {
  Patterns,
  dibaoActionRequestSchema,
  getDibaoApplicationSchema,
  listOverdueApplicationsSchema,
  previewDibaoBenefitSchema,
  submitDibaoApplicationSchema,
  type DibaoBenefitPreview,
  type DibaoApplicationView,
} from '@civil/contracts';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
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
    const actor = requireActor(ctx);
    return input.onDate ? this.benefits.preview(input.id, actor, input.onDate) : this.benefits.preview(input.id, actor);
  }

  @RpcHandler(Patterns.socialAssistance.submitDibao, { schema: submitDibaoApplicationSchema })
  async submit(input: z.output<typeof submitDibaoApplicationSchema>, ctx: RpcContext): Promise<DibaoApplicationView> {
    const actor = requireActor(ctx);
    return this.applications.submit(input.householdId, actor);
  }

  @RpcHandler(Patterns.socialAssistance.actOnDibao, { schema: dibaoActionRequestSchema })
  async act(input: z.output<typeof dibaoActionRequestSchema>, ctx: RpcContext): Promise<DibaoApplicationView> {
    const actor = requireActor(ctx);
    return this.applications.act(input.applicationId, input.action, input.payload, actor);
  }

  @RpcHandler(Patterns.socialAssistance.getDibao, { schema: getDibaoApplicationSchema })
  async get(input: z.output<typeof getDibaoApplicationSchema>, ctx: RpcContext): Promise<DibaoApplicationView> {
    const actor = requireActor(ctx);
    return this.applications.get(input.id, actor);
  }

  @RpcHandler(Patterns.socialAssistance.listOverdueDibao, { schema: listOverdueApplicationsSchema })
  async overdue(input: z.output<typeof listOverdueApplicationsSchema>, ctx: RpcContext): Promise<{ items: DibaoApplicationView[] }> {
    const actor = requireActor(ctx);
    return input.today ? this.applications.listOverdue(actor, input.today) : this.applications.listOverdue(actor);
  }
}

