import type { SealedResidentId } from './personal-data';

export const SocialAssistanceEvents = {
  householdRegistered: 'civil.social-assistance.household.registered.v1',
} as const;

export interface HouseholdRegisteredV1 {
  householdId: string;
  urbanRural: 'urban' | 'rural';
  persons: number;
}

export const DibaoEvents = {
  applicationSubmitted: 'civil.social-assistance.dibao-application.submitted.v1',
  applicationApproved: 'civil.social-assistance.dibao-application.approved.v1',
  applicationRejected: 'civil.social-assistance.dibao-application.rejected.v1',
  householdStarted: 'civil.social-assistance.dibao-household.started.v1',
} as const;

export interface DibaoApplicationDecidedV1 {
  applicationId: string;
  householdId: string;
  urbanRural: 'urban' | 'rural';
  persons: number;
  /** YYYY-MM-DD, Asia/Shanghai. */
  decisionDate: string;
  reason: string | null;
  /** On approval and rejection: the submission date, the statutory deadline (30 working days, 45 when extended, by the holiday calendar) and whether the decision met it. */
  submittedOn?: string;
  deadline?: string;
  inTime?: boolean;
}

export interface DibaoHouseholdStartedV1 {
  householdId: string;
  caseId: string;
  urbanRural: 'urban' | 'rural';
  persons: number;
  monthlyAmountFen: number;
  /** The first period paid, YYYY-MM. */
  effectivePeriod: string;
  /**
   * How the case came to this system: approved on an application here, or carried over from the
   * previous system as part of the opening caseload (not a new case in the year it was imported).
   */
  origin?: 'application' | 'import';
  /**
   * The household's members when the case starts, each sealed (hash and ciphertext, never the
   * number). Services whose benefits depend on 低保 membership (the disability living allowance,
   * home adaptation) keep their own read model from these events instead of reading social
   * assistance's tables.
   */
  members?: SealedResidentId[];
  /**
   * @deprecated The members' numbers in plain text, as events carried them before `members`
   * (issue 8). No longer emitted; consumers still read it from events published before.
   */
  memberResidentIds?: string[];
}

export const DibaoCaseEvents = {
  householdAdjusted: 'civil.social-assistance.dibao-household.adjusted.v1',
  householdStopped: 'civil.social-assistance.dibao-household.stopped.v1',
} as const;

export interface DibaoHouseholdAdjustedV1 {
  householdId: string;
  caseId: string;
  urbanRural: 'urban' | 'rural';
  personsBefore: number;
  personsAfter: number;
  monthlyAmountBeforeFen: number;
  monthlyAmountAfterFen: number;
  /** The first period paid at the new level, YYYY-MM. */
  effectivePeriod: string;
  reason: string;
  /** The household's members from `effectivePeriod` on, sealed (see DibaoHouseholdStartedV1). */
  members?: SealedResidentId[];
  /** @deprecated Plain numbers, as emitted before `members` (see DibaoHouseholdStartedV1). */
  memberResidentIds?: string[];
}

export interface DibaoHouseholdStoppedV1 {
  householdId: string;
  caseId: string;
  urbanRural: 'urban' | 'rural';
  persons: number;
  reason: string;
  /** The first period no longer paid, YYYY-MM. */
  effectivePeriod: string;
}
