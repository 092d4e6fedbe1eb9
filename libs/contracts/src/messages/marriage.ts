/** Messages and events of marriage registration (婚姻登记): appointments, registration, certificates. */
import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
const name = z.string().trim().min(1).max(50);

export const bookMarriageAppointmentSchema = z
  .object({
    registryId: uuidSchema,
    onDate: isoDate,
    /** The other party; a citizen books for themselves and names their partner. */
    partnerResidentId: residentIdSchema,
    /** Staff booking for a couple name the first party too; a citizen is the first party. */
    residentId: residentIdSchema.optional(),
  })
  .strict();
addExamples(bookMarriageAppointmentSchema, [
  { summary: 'A citizen books (their own resident ID comes from the token)', value: { registryId: '0193a0a0-0000-7000-8000-000000000001', onDate: '2026-12-08', partnerResidentId: '430503199810020263' } },
  { summary: 'A registrar books for a couple', value: { registryId: '0193a0a0-0000-7000-8000-000000000001', onDate: '2026-12-08', partnerResidentId: '430503199810020263', residentId: '430503199605180196' } },
]);
export type BookMarriageAppointmentInput = z.output<typeof bookMarriageAppointmentSchema>;

export const cancelMarriageAppointmentSchema = z.object({ appointmentId: uuidSchema }).strict();
addExamples(cancelMarriageAppointmentSchema, [
  { value: { appointmentId: '01a217ef-ebb2-7647-bfde-405b34ba6238' } },
]);

export interface MarriageAppointmentView {
  id: string;
  registryId: string;
  onDate: string;
  status: 'BOOKED' | 'USED' | 'CANCELLED';
  /** Masked resident IDs of the two parties. */
  parties: [string, string];
  /** Places left on that day at that registry after this booking. */
  placesLeft: number;
}

const party = z
  .object({
    name,
    residentId: residentIdSchema,
    /** 户籍: the county-level division of the party's household registration (6 digits or more). */
    hukouDivisionCode: divisionCodeSchema,
    /** 经常居住地: where a residence permit shows the party usually lives, when not the 户籍 place. */
    residenceDivisionCode: divisionCodeSchema.optional(),
  })
  .strict();

export const registerMarriageSchema = z
  .object({
    registryId: uuidSchema,
    appointmentId: uuidSchema.optional(),
    parties: z.tuple([party, party]),
    /**
     * The signed declaration (声明书): both consent, neither has a spouse, and they are not related
     * by direct blood or collaterally within three generations. Every statement must be true.
     */
    declaration: z
      .object({
        bothConsent: z.literal(true, { error: 'both parties must consent' }),
        neitherMarried: z.literal(true, { error: 'both must declare they have no spouse' }),
        noProhibitedKinship: z.literal(true, { error: 'both must declare no direct or close collateral blood relation' }),
      })
      .strict(),
    /** The registration date; today when absent (staff only may record an earlier date). */
    registeredOn: isoDate.optional(),
  })
  .strict()
  .refine((r) => r.parties[0].residentId !== r.parties[1].residentId, { message: 'the two parties are one person', path: ['parties', 1, 'residentId'] });
addExamples(registerMarriageSchema, [
  {
    value: {
      registryId: '0193a0a0-0000-7000-8000-000000000001',
      appointmentId: '01a217ef-ebb2-7647-bfde-405b34ba6238',
      parties: [
        { name: '周子豪', residentId: '430503199605180196', hukouDivisionCode: '430503001001' },
        { name: '吴欣怡', residentId: '430503199810020263', hukouDivisionCode: '430503005002', residenceDivisionCode: '430503001001' },
      ],
      declaration: { bothConsent: true, neitherMarried: true, noProhibitedKinship: true },
      registeredOn: '2026-12-08',
    },
  },
]);
export type RegisterMarriageInput = z.output<typeof registerMarriageSchema>;

export const getMarriageRegistrationSchema = z.object({ registrationId: uuidSchema }).strict();

export const reissueMarriageCertificateSchema = z
  .object({
    registrationId: uuidSchema,
    /** The party asking for the new certificate (补领). */
    residentId: residentIdSchema,
    /** The archive check: the file found and the registration confirmed in it. */
    archiveCheck: z.object({ archiveReference: z.string().trim().min(1).max(100), matches: z.literal(true, { error: 'a reissue needs the archive to confirm the registration' }) }).strict(),
    issuedOn: isoDate.optional(),
  })
  .strict();
addExamples(reissueMarriageCertificateSchema, [
  { value: { registrationId: '01a217ef-ebb2-7647-bfde-4573926db235', residentId: '430503199810020263', archiveCheck: { archiveReference: '大祥婚档2026-J-001523', matches: true }, issuedOn: '2026-12-15' } },
]);
export type ReissueMarriageCertificateInput = z.output<typeof reissueMarriageCertificateSchema>;

export const certificateAccuracySchema = z.object({ year: z.coerce.number().int().min(1950).max(2100) }).strict();

export interface MarriageCertificateView {
  number: string;
  kind: 'original' | 'reissue';
  issuedOn: string;
  /** Null for the original (each party holds a copy); the party who asked for a reissue. */
  holderResidentId: string | null;
}

export interface MarriageRegistrationView {
  id: string;
  registryId: string;
  registeredOn: string;
  parties: { name: string; residentId: string; sex: 'male' | 'female'; ageOnRegistration: number }[];
  certificates: MarriageCertificateView[];
}

/** 结婚证 (J…, BJ…) and 离婚证 (L…). */
export type CertificateFamily = 'marriage' | 'divorce';

/**
 * The seed's 出证准确率: every certificate of the year compared field by field with its
 * registration — marriage certificates (originals and reissues) with their marriage registration,
 * divorce certificates with their divorce registration. The top-level figures are the total over
 * both kinds; `byKind` splits them.
 */
export interface CertificateAccuracyReport {
  year: number;
  certificates: number;
  matching: number;
  /** Basis points: 10000 = 100 %. Null when there are no certificates. */
  accuracyBp: number | null;
  mismatches: { number: string; kind: CertificateFamily; fields: string[] }[];
  /** Always both kinds, marriage first. */
  byKind: { kind: CertificateFamily; certificates: number; matching: number; accuracyBp: number | null }[];
}

export const MarriageEvents = {
  appointmentBooked: 'civil.social-affairs.marriage-appointment.booked.v1',
  registered: 'civil.social-affairs.marriage.registered.v1',
  certificateIssued: 'civil.social-affairs.certificate.issued.v1',
  certificateReissued: 'civil.social-affairs.certificate.reissued.v1',
} as const;

export interface MarriageRegisteredV1 {
  registrationId: string;
  registryDivisionCode: string;
  registeredOn: string;
}

export interface CertificateIssuedV1 {
  certificateNumber: string;
  registrationId: string;
  kind: 'original' | 'reissue';
  issuedOn: string;
  /** Whether the certificate's particulars match the registration, checked when it is issued. */
  matchesRegistration: boolean;
}
