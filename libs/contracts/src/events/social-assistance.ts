export const SocialAssistanceEvents = {
  householdRegistered: 'civil.social-assistance.household.registered.v1',
} as const;

export interface HouseholdRegisteredV1 {
  householdId: string;
  urbanRural: 'urban' | 'rural';
  persons: number;
}
