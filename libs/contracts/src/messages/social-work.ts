/** Messages and events of social work stations (社工站): activities with the people they served. */
import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

export const SOCIAL_WORK_KINDS = ['elderly-care-visit', 'children-in-difficulty', 'tekun-family', 'volunteer-service', 'other'] as const;
export type SocialWorkKind = (typeof SOCIAL_WORK_KINDS)[number];

export const recordSocialWorkActivitySchema = z
  .object({
    stationId: uuidSchema,
    kind: z.enum(SOCIAL_WORK_KINDS),
    title: z.string().trim().min(1).max(200),
    /** Where it took place: within the station's division. */
    divisionCode: divisionCodeSchema,
    heldOn: z.iso.date(),
    personsServed: z.int().min(1).max(100_000),
  })
  .strict();
addExamples(recordSocialWorkActivitySchema, [
  { value: { stationId: '0193a0a0-0000-7000-8000-0000000000d1', kind: 'elderly-care-visit', title: '空巢老人重阳节入户探访', divisionCode: '430503004000', heldOn: '2026-10-18', personsServed: 36 } },
]);
export type RecordSocialWorkActivityInput = z.output<typeof recordSocialWorkActivitySchema>;

export const socialWorkSummarySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();

export interface SocialWorkActivityView {
  id: string;
  stationId: string;
  kind: SocialWorkKind;
  title: string;
  divisionCode: string;
  heldOn: string;
  personsServed: number;
}

/** The year's activities within the caller's divisions, by kind and in total. */
export interface SocialWorkSummary {
  year: number;
  activities: number;
  personsServed: number;
  byKind: { kind: SocialWorkKind; activities: number; personsServed: number }[];
}

export const SocialWorkEvents = {
  activityRecorded: 'civil.social-affairs.social-work.activity-recorded.v1',
} as const;

export interface SocialWorkActivityRecordedV1 {
  activityId: string;
  stationId: string;
  kind: SocialWorkKind;
  heldOn: string;
  personsServed: number;
}
