import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  changeOrganisationSchema,
  deregisterOrganisationSchema,
  getOrganisationSchema,
  gradeOrganisationSchema,
  inspectOrganisationSchema,
  listOrganisationsSchema,
  organisationCensusSchema,
  recordFoundationSchema,
  registerOrganisationSchema,
  type OrganisationCensus,
  type OrganisationSummaryView,
  type OrganisationView,
} from '@civil/contracts';
import { OrganisationsService } from './organisations.service';

@Injectable()
export class OrganisationsHandlers {
  constructor(private readonly organisations: OrganisationsService) {}

  @RpcHandler(Patterns.socialAffairs.registerOrganisation, { schema: registerOrganisationSchema })
  async register(input: z.output<typeof registerOrganisationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.register(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.recordFoundation, { schema: recordFoundationSchema })
  async recordFoundation(input: z.output<typeof recordFoundationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.recordFoundation(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.getOrganisation, { schema: getOrganisationSchema })
  async get(input: z.output<typeof getOrganisationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.get(input.orgId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.listOrganisations, { schema: listOrganisationsSchema })
  async list(input: z.output<typeof listOrganisationsSchema>, ctx: RpcContext): Promise<OrganisationSummaryView[]> {
    return this.organisations.list(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.changeOrganisation, { schema: changeOrganisationSchema })
  async change(input: z.output<typeof changeOrganisationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.change(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.deregisterOrganisation, { schema: deregisterOrganisationSchema })
  async deregister(input: z.output<typeof deregisterOrganisationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.deregister(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.inspectOrganisation, { schema: inspectOrganisationSchema })
  async inspect(input: z.output<typeof inspectOrganisationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.inspect(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.gradeOrganisation, { schema: gradeOrganisationSchema })
  async grade(input: z.output<typeof gradeOrganisationSchema>, ctx: RpcContext): Promise<OrganisationView> {
    return this.organisations.grade(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.organisationCensus, { schema: organisationCensusSchema })
  async census(input: z.output<typeof organisationCensusSchema>, ctx: RpcContext): Promise<OrganisationCensus> {
    return this.organisations.census(input.asOf, requireActor(ctx));
  }
}
