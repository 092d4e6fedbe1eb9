/** Messages and events of divorce by agreement (协议离婚). */
import { z } from 'zod';
import { residentIdSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();

/** Registrars record the application when both parties hand it in together. */
export const applyDivorceSchema = z
  .object({ registryId: uuidSchema, marriageRegistrationId: uuidSchema, receivedOn: isoDate.optional() })
  .strict();
addExamples(applyDivorceSchema, [
  { value: { registryId: '0193a0a0-0000-7000-8000-000000000001', marriageRegistrationId: '01a217ef-ebb2-7647-bfde-4573926db235', receivedOn: '2026-11-16' } },
]);
export type ApplyDivorceInput = z.output<typeof applyDivorceSchema>;

/** Either party may withdraw during cooling-off: a citizen for themselves, or a registrar naming the party. */
export const withdrawDivorceSchema = z.object({ applicationId: uuidSchema, residentId: residentIdSchema.optional() }).strict();
addExamples(withdrawDivorceSchema, [
  { summary: 'A party withdraws (their resident ID comes from the token)', value: { applicationId: '01a217ef-ebb2-7647-bfde-4bd0e9e87c57' } },
  { summary: 'A registrar records a party’s withdrawal', value: { applicationId: '01a217ef-ebb2-7647-bfde-4bd0e9e87c57', residentId: '430503199605180196' } },
]);
export type WithdrawDivorceInput = z.output<typeof withdrawDivorceSchema>;

export const registerDivorceSchema = z
  .object({
    applicationId: uuidSchema,
    /** Both parties appeared in person with the agreement. */
    bothPresent: z.literal(true, { error: 'both parties must appear in person' }),
    registeredOn: isoDate.optional(),
  })
  .strict();
addExamples(registerDivorceSchema, [
  { value: { applicationId: '01a217ef-ebb2-7647-bfde-4bd0e9e87c57', bothPresent: true, registeredOn: '2026-12-21' } },
]);
export type RegisterDivorceInput = z.output<typeof registerDivorceSchema>;

export const getDivorceSchema = z.object({ applicationId: uuidSchema }).strict();
export const lapseDivorcesSchema = z.object({ today: isoDate.optional() }).strict();
addExamples(lapseDivorcesSchema, [
  { value: { today: '2027-01-16' } },
]);

export interface DivorceApplicationView {
  id: string;
  marriageRegistrationId: string;
  /** Masked resident IDs. */
  parties: string[];
  receivedOn: string;
  coolingOffEndsOn: string;
  appearByOn: string;
  /** True when the holiday arrangement of a year the periods run into is not known yet. */
  timelineProvisional: boolean;
  status: 'COOLING_OFF' | 'AWAITING_BOTH' | 'WITHDRAWN' | 'LAPSED' | 'REGISTERED';
  withdrawnOn: string | null;
  registeredOn: string | null;
  certificateNumber: string | null;
}

export const DivorceEvents = {
  received: 'civil.social-affairs.divorce-application.received.v1',
  withdrawn: 'civil.social-affairs.divorce-application.withdrawn.v1',
  lapsed: 'civil.social-affairs.divorce-application.lapsed.v1',
  registered: 'civil.social-affairs.divorce.registered.v1',
} as const;

export interface DivorceApplicationEventV1 {
  applicationId: string;
  marriageRegistrationId: string;
  /** The day it happened: received, withdrawn, or lapsed (the day after the appearance deadline). */
  onDate: string;
}

export interface DivorceRegisteredV1 {
  registrationId: string;
  marriageRegistrationId: string;
  registryDivisionCode: string;
  registeredOn: string;
  certificateNumber: string;
}
