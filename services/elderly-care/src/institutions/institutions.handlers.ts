import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  admitCareResidentSchema,
  careInstitutionOccupancySchema,
  careOccupancySummarySchema,
  changeCareBedsSchema,
  closeCareInstitutionSchema,
  dischargeCareResidentSchema,
  getCareInstitutionSchema,
  listCareAdmissionsSchema,
  listCareInspectionsSchema,
  listCareInstitutionsSchema,
  listOverdueCareFindingsSchema,
  rectifyCareFindingSchema,
  recordCareInspectionSchema,
  registerCareInstitutionSchema,
  type CareAdmissionListView,
  type CareAdmissionView,
  type CareFindingView,
  type CareInspectionListView,
  type CareInspectionView,
  type CareInstitutionListView,
  type CareInstitutionOccupancyView,
  type CareInstitutionView,
  type CareOccupancySummaryView,
  type OverdueCareFindingListView,
} from '@civil/contracts';
import { InstitutionsService } from './institutions.service';

/** 养老机构: every request needs an actor; the service checks roles and division scope. */
@Injectable()
export class InstitutionsHandlers {
  constructor(private readonly institutions: InstitutionsService) {}

  @RpcHandler(Patterns.elderlyCare.registerCareInstitution, { schema: registerCareInstitutionSchema })
  async register(input: z.output<typeof registerCareInstitutionSchema>, ctx: RpcContext): Promise<CareInstitutionView> {
    return this.institutions.register(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.listCareInstitutions, { schema: listCareInstitutionsSchema })
  async list(input: z.output<typeof listCareInstitutionsSchema>, ctx: RpcContext): Promise<CareInstitutionListView> {
    return this.institutions.list(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.getCareInstitution, { schema: getCareInstitutionSchema })
  async get(input: z.output<typeof getCareInstitutionSchema>, ctx: RpcContext): Promise<CareInstitutionView> {
    return this.institutions.get(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.changeCareBeds, { schema: changeCareBedsSchema })
  async changeBeds(input: z.output<typeof changeCareBedsSchema>, ctx: RpcContext): Promise<CareInstitutionView> {
    return this.institutions.changeBeds(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.closeCareInstitution, { schema: closeCareInstitutionSchema })
  async close(input: z.output<typeof closeCareInstitutionSchema>, ctx: RpcContext): Promise<CareInstitutionView> {
    return this.institutions.close(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.careInstitutionOccupancy, { schema: careInstitutionOccupancySchema })
  async occupancy(input: z.output<typeof careInstitutionOccupancySchema>, ctx: RpcContext): Promise<CareInstitutionOccupancyView> {
    return this.institutions.occupancy(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.careOccupancySummary, { schema: careOccupancySummarySchema })
  async occupancySummary(input: z.output<typeof careOccupancySummarySchema>, ctx: RpcContext): Promise<CareOccupancySummaryView> {
    return this.institutions.occupancySummary(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.admitCareResident, { schema: admitCareResidentSchema })
  async admit(input: z.output<typeof admitCareResidentSchema>, ctx: RpcContext): Promise<CareAdmissionView> {
    return this.institutions.admit(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.dischargeCareResident, { schema: dischargeCareResidentSchema })
  async discharge(input: z.output<typeof dischargeCareResidentSchema>, ctx: RpcContext): Promise<CareAdmissionView> {
    return this.institutions.discharge(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.listCareAdmissions, { schema: listCareAdmissionsSchema })
  async listAdmissions(input: z.output<typeof listCareAdmissionsSchema>, ctx: RpcContext): Promise<CareAdmissionListView> {
    return this.institutions.listAdmissions(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.recordCareInspection, { schema: recordCareInspectionSchema })
  async recordInspection(input: z.output<typeof recordCareInspectionSchema>, ctx: RpcContext): Promise<CareInspectionView> {
    return this.institutions.recordInspection(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.listCareInspections, { schema: listCareInspectionsSchema })
  async listInspections(input: z.output<typeof listCareInspectionsSchema>, ctx: RpcContext): Promise<CareInspectionListView> {
    return this.institutions.listInspections(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.rectifyCareFinding, { schema: rectifyCareFindingSchema })
  async rectify(input: z.output<typeof rectifyCareFindingSchema>, ctx: RpcContext): Promise<CareFindingView> {
    return this.institutions.rectify(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.elderlyCare.listOverdueCareFindings, { schema: listOverdueCareFindingsSchema })
  async listOverdue(input: z.output<typeof listOverdueCareFindingsSchema>, ctx: RpcContext): Promise<OverdueCareFindingListView> {
    return this.institutions.listOverdue(input, requireActor(ctx));
  }
}
