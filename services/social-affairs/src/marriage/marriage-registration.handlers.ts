import { Injectable } from '@nestjs/common';
import { RpcHandler, requireActor, type RpcContext } from '@civil/platform';
import type { z } from 'zod';
import {
  Patterns,
  bookMarriageAppointmentSchema,
  cancelMarriageAppointmentSchema,
  certificateAccuracySchema,
  getMarriageRegistrationSchema,
  registerMarriageSchema,
  reissueMarriageCertificateSchema,
  type CertificateAccuracyReport,
  type MarriageAppointmentView,
  type MarriageRegistrationView,
} from '@civil/contracts';
import { MarriageRegistrationService } from './marriage-registration.service';

@Injectable()
export class MarriageRegistrationHandlers {
  constructor(private readonly marriages: MarriageRegistrationService) {}

  @RpcHandler(Patterns.socialAffairs.bookMarriageAppointment, { schema: bookMarriageAppointmentSchema })
  async book(input: z.output<typeof bookMarriageAppointmentSchema>, ctx: RpcContext): Promise<MarriageAppointmentView> {
    return this.marriages.bookAppointment(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.cancelMarriageAppointment, { schema: cancelMarriageAppointmentSchema })
  async cancel(input: z.output<typeof cancelMarriageAppointmentSchema>, ctx: RpcContext): Promise<MarriageAppointmentView> {
    return this.marriages.cancelAppointment(input.appointmentId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.registerMarriage, { schema: registerMarriageSchema })
  async register(input: z.output<typeof registerMarriageSchema>, ctx: RpcContext): Promise<MarriageRegistrationView> {
    return this.marriages.register(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.getMarriageRegistration, { schema: getMarriageRegistrationSchema })
  async get(input: z.output<typeof getMarriageRegistrationSchema>, ctx: RpcContext): Promise<MarriageRegistrationView> {
    return this.marriages.get(input.registrationId, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.reissueMarriageCertificate, { schema: reissueMarriageCertificateSchema })
  async reissue(input: z.output<typeof reissueMarriageCertificateSchema>, ctx: RpcContext): Promise<MarriageRegistrationView> {
    return this.marriages.reissue(input, requireActor(ctx));
  }

  @RpcHandler(Patterns.socialAffairs.marriageCertificateAccuracy, { schema: certificateAccuracySchema })
  async accuracy(input: z.output<typeof certificateAccuracySchema>, ctx: RpcContext): Promise<CertificateAccuracyReport> {
    return this.marriages.certificateAccuracy(input.year, requireActor(ctx));
  }
}
