/**
 * Messages and events of marriage and family counselling (婚姻家庭辅导, the bureau's 「镜圆」
 * service): counsellors of a registry, session days on Wednesdays with time slots (one counsellor
 * each, a capacity), bookings by citizens (or staff for them), and after the session a record of
 * what kind of session it was and its outcome.
 *
 * Data minimisation: the bureau keeps who, when, which counsellor, the kind, the outcome code, the
 * duration and whether a follow-up is needed — never what was said. Every schema is `.strict()`,
 * so a field such as `notes` is refused (400), and no table has a column to hold one.
 */
import { z } from 'zod';
import { residentIdSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
/** A time of day, `HH:MM` (24-hour). */
const timeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM');

/** 心理咨询师, 婚姻家庭咨询师, 律师, 社工. */
export const COUNSELLOR_ROLES = ['psychologist', 'family-counsellor', 'lawyer', 'social-worker'] as const;
export type CounsellorRole = (typeof COUNSELLOR_ROLES)[number];

/** 婚前辅导, 离婚调解 (婚姻家庭纠纷调解), 心理疏导. */
export const COUNSELLING_KINDS = ['premarital', 'divorce-mediation', 'psychological'] as const;
export type CounsellingKind = (typeof COUNSELLING_KINDS)[number];

export const COUNSELLING_OUTCOMES = ['reconciled', 'continuing', 'proceeding-with-divorce', 'referred', 'completed'] as const;
export type CounsellingOutcome = (typeof COUNSELLING_OUTCOMES)[number];

/** The outcome codes each kind of session may end with. */
export const COUNSELLING_OUTCOMES_BY_KIND: Readonly<Record<CounsellingKind, readonly CounsellingOutcome[]>> = {
  premarital: ['completed', 'referred'],
  'divorce-mediation': ['reconciled', 'continuing', 'proceeding-with-divorce', 'referred'],
  psychological: ['completed', 'referred'],
};

export const COUNSELLING_BOOKING_STATUSES = ['BOOKED', 'CANCELLED', 'ATTENDED'] as const;
export type CounsellingBookingStatus = (typeof COUNSELLING_BOOKING_STATUSES)[number];

/** Sessions are held on Wednesdays (ISO weekday 3). */
export const COUNSELLING_WEEKDAY = 3;

/** A counsellor of a registry (staff of the registry's division). */
export const registerCounsellorSchema = z
  .object({
    registryId: uuidSchema,
    name: z.string().trim().min(1).max(50),
    role: z.enum(COUNSELLOR_ROLES),
  })
  .strict();
addExamples(registerCounsellorSchema, [
  { value: { registryId: '0193a0a0-0000-7000-8000-000000000001', name: '彭晓燕', role: 'psychologist' } },
]);
export type RegisterCounsellorInput = z.output<typeof registerCounsellorSchema>;

export const listCounsellorsSchema = z.object({ registryId: uuidSchema }).strict();
export type ListCounsellorsInput = z.output<typeof listCounsellorsSchema>;

/**
 * Opens a session day at a registry: a Wednesday that is not a statutory holiday, not in the
 * past, with its slots (each with one counsellor and a capacity). A day is opened once.
 */
export const openCounsellingDaySchema = z
  .object({
    registryId: uuidSchema,
    sessionDate: isoDate,
    slots: z
      .array(
        z
          .object({
            startsAt: timeOfDay,
            /** After `startsAt`. */
            endsAt: timeOfDay,
            counsellorId: uuidSchema,
            capacity: z.int().min(1).max(100),
          })
          .strict(),
      )
      .min(1)
      .max(48),
  })
  .strict();
addExamples(openCounsellingDaySchema, [
  {
    value: {
      registryId: '0193a0a0-0000-7000-8000-000000000001',
      sessionDate: '2026-12-02',
      slots: [
        { startsAt: '09:00', endsAt: '10:00', counsellorId: '01a217ef-ebb3-7662-86e0-0f56dbad0073', capacity: 1 },
        { startsAt: '10:00', endsAt: '11:00', counsellorId: '01a217ef-ebb3-7662-86e0-0f56dbad0073', capacity: 1 },
        { startsAt: '14:30', endsAt: '15:30', counsellorId: '01a217ef-ebb3-7662-86e0-0f56dbad0073', capacity: 1 },
      ],
    },
  },
]);
export type OpenCounsellingDayInput = z.output<typeof openCounsellingDaySchema>;

/** A registry's slots from one date to another (at most 92 days), with the places left (public). */
export const listCounsellingSlotsSchema = z
  .object({
    registryId: uuidSchema,
    fromDate: isoDate,
    toDate: isoDate,
  })
  .strict();
export type ListCounsellingSlotsInput = z.output<typeof listCounsellingSlotsSchema>;

/**
 * A booking of one slot. A citizen books for themselves (their own resident ID, which they may
 * omit); staff name the client. The partner's resident ID is optional (a couple's session).
 */
export const bookCounsellingSchema = z
  .object({
    slotId: uuidSchema,
    clientResidentId: residentIdSchema.optional(),
    partnerResidentId: residentIdSchema.optional(),
  })
  .strict();
addExamples(bookCounsellingSchema, [
  { summary: 'A citizen books for themself and their partner', value: { slotId: '01a217ef-ebb3-7662-86e0-12b84acf2acd', partnerResidentId: '430503199810020263' } },
  { summary: 'A registrar books for a couple', value: { slotId: '01a217ef-ebb3-7662-86e0-12b84acf2acd', clientResidentId: '430503199605180196', partnerResidentId: '430503199810020263' } },
]);
export type BookCounsellingInput = z.output<typeof bookCounsellingSchema>;

export const getCounsellingBookingSchema = z.object({ id: uuidSchema }).strict();
export type GetCounsellingBookingInput = z.output<typeof getCounsellingBookingSchema>;

export const cancelCounsellingBookingSchema = z.object({ id: uuidSchema }).strict();
addExamples(cancelCounsellingBookingSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-17f9723ed0c3' } },
]);
export type CancelCounsellingBookingInput = z.output<typeof cancelCounsellingBookingSchema>;

/** A citizen's own bookings; staff's within their divisions, optionally one registry and a date range. */
export const listCounsellingBookingsSchema = z
  .object({
    registryId: uuidSchema.optional(),
    fromDate: isoDate.optional(),
    toDate: isoDate.optional(),
    status: z.enum(COUNSELLING_BOOKING_STATUSES).optional(),
  })
  .strict();
export type ListCounsellingBookingsInput = z.output<typeof listCounsellingBookingsSchema>;

/**
 * What the bureau keeps of a session, and nothing more: the kind, an outcome code fitting the
 * kind, the duration and whether a follow-up is needed. No free text: extra fields are refused.
 */
export const recordCounsellingSessionSchema = z
  .object({
    /** The booking the session was held for (from the path). */
    id: uuidSchema,
    kind: z.enum(COUNSELLING_KINDS),
    outcome: z.enum(COUNSELLING_OUTCOMES),
    durationMinutes: z.int().min(1).max(480),
    followUpNeeded: z.boolean(),
  })
  .strict()
  .superRefine((record, ctx) => {
    if (!COUNSELLING_OUTCOMES_BY_KIND[record.kind].includes(record.outcome)) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcome'],
        message: `a ${record.kind} session ends with one of ${COUNSELLING_OUTCOMES_BY_KIND[record.kind].join(', ')}`,
        params: { rule: 'outcome-of-kind' },
      });
    }
  });
addExamples(recordCounsellingSessionSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-17f9723ed0c3', kind: 'divorce-mediation', outcome: 'reconciled', durationMinutes: 60, followUpNeeded: true } },
]);
export type RecordCounsellingSessionInput = z.output<typeof recordCounsellingSessionSchema>;

export const counsellingSummarySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();
export type CounsellingSummaryInput = z.output<typeof counsellingSummarySchema>;

export interface CounsellorView {
  id: string;
  registryId: string;
  name: string;
  role: CounsellorRole;
}

export interface CounsellingSlotView {
  id: string;
  registryId: string;
  /** YYYY-MM-DD, a Wednesday. */
  sessionDate: string;
  /** HH:MM. */
  startsAt: string;
  endsAt: string;
  counsellor: { id: string; name: string; role: CounsellorRole };
  capacity: number;
  booked: number;
  placesLeft: number;
}

export interface CounsellingSlotListView {
  registryId: string;
  fromDate: string;
  toDate: string;
  items: CounsellingSlotView[];
}

export interface OpenCounsellingDayResult {
  registryId: string;
  sessionDate: string;
  items: CounsellingSlotView[];
}

/** The record of a held session: codes only, never counselling content. */
export interface CounsellingSessionRecordView {
  kind: CounsellingKind;
  outcome: CounsellingOutcome;
  durationMinutes: number;
  followUpNeeded: boolean;
  recordedAt: string;
}

export interface CounsellingBookingView {
  id: string;
  slotId: string;
  registryId: string;
  sessionDate: string;
  startsAt: string;
  endsAt: string;
  counsellor: { id: string; name: string; role: CounsellorRole };
  /** Masked (430503********123X). */
  clientResidentId: string;
  /** Masked; null when the client came alone. */
  partnerResidentId: string | null;
  status: CounsellingBookingStatus;
  record: CounsellingSessionRecordView | null;
  createdAt: string;
}

export interface CounsellingBookingListView {
  items: CounsellingBookingView[];
}

/** The year's recorded sessions within the caller's divisions, by kind and outcome. */
export interface CounsellingSummary {
  year: number;
  sessions: number;
  minutes: number;
  followUpsNeeded: number;
  byKind: { kind: CounsellingKind; sessions: number; byOutcome: { outcome: CounsellingOutcome; sessions: number }[] }[];
  /** The outcome indicator: divorce mediations ending reconciled (调解和好), and their share in basis points (null without any). */
  divorceMediation: { sessions: number; reconciled: number; reconciledBp: number | null };
}

export const CounsellingEvents = {
  booked: 'civil.social-affairs.counselling.booked.v1',
  cancelled: 'civil.social-affairs.counselling.cancelled.v1',
  sessionRecorded: 'civil.social-affairs.counselling.session-recorded.v1',
} as const;

/** Booked and cancelled: ids, the registry and the date only — no resident IDs. */
export interface CounsellingBookingEventV1 {
  bookingId: string;
  slotId: string;
  counsellorId: string;
  registryId: string;
  sessionDate: string;
}

export interface CounsellingSessionRecordedV1 {
  bookingId: string;
  slotId: string;
  counsellorId: string;
  registryId: string;
  sessionDate: string;
  kind: CounsellingKind;
  outcome: CounsellingOutcome;
}
