/**
 * The city elderly-service platform feed (市级养老服务平台数据交换): an incremental, gap-free export of
 * what the district's elderly-care office did — institutions, residents served (stays, with masked
 * resident IDs), services delivered — since a cursor, as JSON pages, as a CSV download, and pushed
 * to the city's webhook by a background sender with a dead-letter record.
 */
import { z } from 'zod';
import { uuidSchema } from '../validation';
import type { CareBedCounts, CareBedType, CareDischargeReason, CareFunding, CareInstitutionOwnership } from './elderly-institutions';
import { addExamples } from '../request-examples';

/**
 * An opaque position in the feed: `<transaction id>-<sequence>` of the last entry received. The
 * feed is ordered by (transaction id, sequence) and only hands out entries of transactions older
 * than every transaction still running, so resuming after a cursor neither skips nor repeats.
 */
export const CITY_FEED_CURSOR_PATTERN = /^[0-9]{1,20}-[0-9]{1,19}$/;
export const cityFeedCursorSchema = z
  .string()
  .regex(CITY_FEED_CURSOR_PATTERN, 'must be a cursor returned by the feed (e.g. 1234-56)')
  .meta({ examples: ['7381042-3'] });

export const CITY_FEED_MAX_LIMIT = 1000;

/** One page of the feed after `cursor` (from the beginning without one). */
export const cityFeedPageSchema = z
  .object({
    cursor: cityFeedCursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(CITY_FEED_MAX_LIMIT).default(100),
  })
  .strict();
export type CityFeedPageRequest = z.output<typeof cityFeedPageSchema>;

/**
 * The feed after `cursor` as CSV, streamed by the gateway page by page: the first page fixes the
 * end (`exportId`, the feed's horizon then), later pages pass `exportId` and `after`.
 */
export const exportCityFeedSchema = z
  .object({
    cursor: cityFeedCursorSchema.optional(),
    exportId: cityFeedCursorSchema.optional(),
    after: cityFeedCursorSchema.optional(),
  })
  .strict()
  .refine((r) => r.after === undefined || r.exportId !== undefined, { message: 'a page after the first names its export', path: ['exportId'] });
export type ExportCityFeedRequest = z.output<typeof exportCityFeedSchema>;

export const listCityFeedDeadLettersSchema = z.object({ status: z.enum(['pending', 'resent', 'all']).default('pending') }).strict();
export type ListCityFeedDeadLettersRequest = z.output<typeof listCityFeedDeadLettersSchema>;

export const retryCityFeedDeadLetterSchema = z.object({ id: uuidSchema }).strict();
addExamples(retryCityFeedDeadLetterSchema, [
  { value: { id: '01a217ef-ebb3-7662-86e0-188c2e60cb2d' } },
]);
export type RetryCityFeedDeadLetterRequest = z.output<typeof retryCityFeedDeadLetterSchema>;

export const CITY_FEED_KINDS = ['institution', 'resident-stay', 'service-delivered'] as const;
export type CityFeedKind = (typeof CITY_FEED_KINDS)[number];

/** An institution as registered, after a bed change, or closed (name, ownership, division, beds). */
export interface CityFeedInstitutionRecord {
  kind: 'institution';
  institutionId: string;
  name: string;
  ownership: CareInstitutionOwnership;
  divisionCode: string;
  status: 'open' | 'closed';
  openedOn: string;
  closedOn: string | null;
  /** The bed configuration this entry reports, and the date it is in force from. */
  bedsEffectiveFrom: string;
  beds: CareBedCounts;
  totalBeds: number;
}

/**
 * A resident served by an institution: an admission, or its discharge. The resident ID is masked
 * (`430503********123X`: region and last four only); no name, no birth date — the city counts and
 * links stays, it does not identify people.
 */
export interface CityFeedResidentStayRecord {
  kind: 'resident-stay';
  event: 'admitted' | 'discharged';
  admissionId: string;
  institutionId: string;
  residentIdMasked: string;
  bedType: CareBedType;
  funding: CareFunding;
  admittedOn: string;
  dischargedOn: string | null;
  dischargeReason: CareDischargeReason | null;
}

/**
 * A service delivered to an older person. `home-adaptation` (居家适老化改造 completed and paid) today;
 * age-allowance payments are meant to be added as another `service` (see the service's README).
 */
export interface CityFeedServiceRecord {
  kind: 'service-delivered';
  service: 'home-adaptation' | (string & {});
  serviceId: string;
  residentIdMasked: string;
  divisionCode: string;
  deliveredOn: string;
  amountFen: number;
}

export type CityFeedRecord = CityFeedInstitutionRecord | CityFeedResidentStayRecord | CityFeedServiceRecord;

export interface CityFeedItem {
  /** Resume after this item by passing it as `cursor`. */
  cursor: string;
  eventId: string;
  eventType: string;
  /** When the change was recorded (the event's time). */
  occurredAt: string;
  divisionCode: string;
  record: CityFeedRecord;
}

export interface CityFeedPage {
  items: CityFeedItem[];
  /** Pass as `cursor` for the next page; the request's cursor when nothing new is available yet. */
  nextCursor: string | null;
  /** True when more entries are available right now (the page was full). */
  more: boolean;
}

/** One page of the CSV download (see the gateway's download routes). */
export interface CityFeedCsvPage {
  exportId: string;
  csv: string;
  next: string | null;
}

/** What the webhook receives: one batch, `from` (exclusive) to `to` (inclusive). */
export interface CityFeedBatch {
  /** Stable for the same range: the receiver may use it to ignore a batch sent twice. */
  batchId: string;
  from: string | null;
  to: string;
  items: CityFeedItem[];
}

export interface CityFeedDeadLetterView {
  id: string;
  /** Exclusive; null from the beginning of the feed. */
  fromCursor: string | null;
  /** Inclusive. */
  toCursor: string;
  entries: number;
  attempts: number;
  lastError: string;
  createdAt: string;
  lastAttemptAt: string;
  resentAt: string | null;
  resentBy: string | null;
}

export interface CityFeedDeadLetterListView {
  items: CityFeedDeadLetterView[];
}
