/**
 * Messages and events of 祭扫预约 (cemetery-visit booking): a cemetery site (e.g. 雨溪公墓) opens
 * time slots on its days, each with a capacity (tight around 清明); citizens book a visit to one
 * grave for up to three visitors per grave per day, get a short booking code, and check in with it
 * at the gate. Unused bookings of a past day become no-shows.
 */
import { z } from 'zod';
import { residentIdSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);
/** A time of day, `HH:MM` (24-hour). */
const timeOfDay = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM');

/** At most this many visitors for one grave at one site on one day, over all its non-cancelled bookings. */
export const MAX_VISITORS_PER_GRAVE_PER_DAY = 3;

/** Booking codes: 8 characters from digits and capitals without the look-alikes 0/O, 1/I/L. */
export const CEMETERY_BOOKING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CEMETERY_BOOKING_CODE_LENGTH = 8;
export const CEMETERY_BOOKING_CODE_PATTERN = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

export const CEMETERY_BOOKING_STATUSES = ['BOOKED', 'CHECKED_IN', 'CANCELLED', 'NO_SHOW'] as const;
export type CemeteryBookingStatus = (typeof CEMETERY_BOOKING_STATUSES)[number];

/** A site's slots on one day with the places left (public). */
export const listCemeterySlotsSchema = z
  .object({
    siteId: uuidSchema,
    date: isoDate,
  })
  .strict();
export type ListCemeterySlotsInput = z.input<typeof listCemeterySlotsSchema>;

/** The same day plan opened on every day from `fromDate` to `toDate` (staff of the site's division). */
export const openCemeterySlotsSchema = z
  .object({
    siteId: uuidSchema,
    fromDate: isoDate,
    /** Not before `fromDate`; at most 60 days after it. */
    toDate: isoDate,
    slots: z
      .array(
        z
          .object({
            startsAt: timeOfDay,
            /** After `startsAt`. */
            endsAt: timeOfDay,
            capacity: z.int().min(1).max(100_000),
          })
          .strict(),
      )
      .min(1)
      .max(48),
  })
  .strict();
addExamples(openCemeterySlotsSchema, [
  {
    value: {
      siteId: '0193a0a0-0000-7000-8000-0000000000c1',
      fromDate: '2027-04-03',
      toDate: '2027-04-05',
      slots: [
        { startsAt: '08:00', endsAt: '09:00', capacity: 200 },
        { startsAt: '09:00', endsAt: '10:00', capacity: 200 },
        { startsAt: '10:00', endsAt: '11:00', capacity: 200 },
        { startsAt: '15:00', endsAt: '16:00', capacity: 150 },
      ],
    },
  },
]);
export type OpenCemeterySlotsInput = z.input<typeof openCemeterySlotsSchema>;

/**
 * A visit to one grave in one slot. A citizen books for themselves (the visitor's resident ID is
 * theirs, and they may omit it); staff give the visitor's resident ID.
 */
export const bookCemeteryVisitSchema = z
  .object({
    slotId: uuidSchema,
    /** The grave visited, as the site numbers it (e.g. 福区-3排-12号). */
    graveNumber: text(64),
    visitorResidentId: residentIdSchema.optional(),
    visitorName: text(100),
    /** A mainland mobile number, 11 digits starting with 1. */
    mobile: z.string().regex(/^1[3-9][0-9]{9}$/, 'must be an 11-digit mobile number'),
    /** 1 to 3 persons; with the grave's other bookings that day, at most 3. */
    visitors: z.int().min(1).max(MAX_VISITORS_PER_GRAVE_PER_DAY),
  })
  .strict();
addExamples(bookCemeteryVisitSchema, [
  { value: { slotId: '01a217ef-ebb2-7647-bfde-3b3a07038a4e', graveNumber: 'B区12排07号', visitorResidentId: '430503197903090827', visitorName: '何丽', mobile: '13807390123', visitors: 3 } },
]);
export type BookCemeteryVisitInput = z.input<typeof bookCemeteryVisitSchema>;

export const getCemeteryBookingSchema = z.object({ id: uuidSchema }).strict();
export type GetCemeteryBookingInput = z.input<typeof getCemeteryBookingSchema>;

export const cancelCemeteryBookingSchema = z.object({ id: uuidSchema }).strict();
addExamples(cancelCemeteryBookingSchema, [
  { value: { id: '01a217ef-ebb2-7647-bfde-3f3443b24ecb' } },
]);
export type CancelCemeteryBookingInput = z.input<typeof cancelCemeteryBookingSchema>;

/** Check-in at the gate by the booking code (case and surrounding spaces do not matter). */
export const checkInCemeteryBookingSchema = z
  .object({
    bookingCode: z.string().trim().toUpperCase().regex(CEMETERY_BOOKING_CODE_PATTERN, 'must be an 8-character booking code'),
  })
  .strict();
addExamples(checkInCemeteryBookingSchema, [
  { value: { bookingCode: '7KQ3MZ9P' } },
]);
export type CheckInCemeteryBookingInput = z.input<typeof checkInCemeteryBookingSchema>;

/** Every booking of a past day at a site that is still BOOKED becomes NO_SHOW. */
export const markCemeteryNoShowsSchema = z
  .object({
    siteId: uuidSchema,
    visitDate: isoDate,
  })
  .strict();
addExamples(markCemeteryNoShowsSchema, [
  { value: { siteId: '0193a0a0-0000-7000-8000-0000000000c1', visitDate: '2027-04-04' } },
]);
export type MarkCemeteryNoShowsInput = z.input<typeof markCemeteryNoShowsSchema>;

export interface CemeterySiteView {
  id: string;
  name: string;
  divisionCode: string;
  address: string;
}

export interface CemeterySlotView {
  id: string;
  siteId: string;
  /** YYYY-MM-DD. */
  visitDate: string;
  /** HH:MM. */
  startsAt: string;
  endsAt: string;
  capacity: number;
  booked: number;
  placesLeft: number;
}

export interface CemeterySlotListView {
  site: CemeterySiteView;
  visitDate: string;
  items: CemeterySlotView[];
}

export interface OpenCemeterySlotsResult {
  /** The slots created; a slot that already existed (same site, day and start) is left as it was. */
  items: CemeterySlotView[];
  skipped: number;
}

export interface CemeteryBookingView {
  id: string;
  bookingCode: string;
  slotId: string;
  siteId: string;
  siteName: string;
  visitDate: string;
  startsAt: string;
  endsAt: string;
  graveNumber: string;
  visitorResidentId: string;
  visitorName: string;
  mobile: string;
  visitors: number;
  status: CemeteryBookingStatus;
  createdAt: string;
  updatedAt: string;
}

export interface MarkCemeteryNoShowsResult {
  siteId: string;
  visitDate: string;
  marked: number;
}

export const CemeteryEvents = {
  slotsOpened: 'civil.social-affairs.cemetery-slot.opened.v1',
  confirmed: 'civil.social-affairs.cemetery-booking.confirmed.v1',
  checkedIn: 'civil.social-affairs.cemetery-booking.checked-in.v1',
  cancelled: 'civil.social-affairs.cemetery-booking.cancelled.v1',
  noShow: 'civil.social-affairs.cemetery-booking.no-show.v1',
} as const;

/** Slots were opened at a site; the site's division is the envelope's. */
export interface CemeterySlotsOpenedV1 {
  siteId: string;
  fromDate: string;
  toDate: string;
  slotIds: string[];
}

/**
 * A booking changed state (confirmed, checked in, cancelled, no-show); the site's division is the
 * envelope's. No visitor details.
 */
export interface CemeteryBookingEventV1 {
  bookingId: string;
  siteId: string;
  slotId: string;
  /** YYYY-MM-DD. */
  visitDate: string;
  visitors: number;
}
export type CemeteryBookingConfirmedV1 = CemeteryBookingEventV1;
export type CemeteryBookingCheckedInV1 = CemeteryBookingEventV1;
export type CemeteryBookingCancelledV1 = CemeteryBookingEventV1;
export type CemeteryBookingNoShowV1 = CemeteryBookingEventV1;
