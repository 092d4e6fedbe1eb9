import type { PlaceNameCategory } from '../messages/place-names';
import type { AuditOutcome } from '../messages/place-name-audits';

export const PlaceNameAuditEvents = {
  recordReviewed: 'civil.place-names.audit.record-reviewed.v1',
} as const;

/**
 * One gazetteer record of a quality-audit campaign reviewed (confirmed as is), corrected or
 * supplemented. Reporting counts the seed's 3969 records of the five database classes and the
 * 3000+ others from these, by `category` and `year`. Subject: `audit-campaign/<campaignId>`.
 */
export interface AuditRecordReviewedV1 {
  campaignId: string;
  /** The campaign's year (国家地名数据库质量提升行动 2023). */
  year: number;
  nameId: string;
  category: PlaceNameCategory;
  divisionCode: string;
  outcome: AuditOutcome;
  /** YYYY-MM-DD. */
  reviewedOn: string;
}
