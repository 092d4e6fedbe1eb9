import { z } from 'zod';
import { divisionCodeSchema, residentIdSchema, uuidSchema } from '../validation';

export const RELATIONSHIPS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;

export const registerHouseholdSchema = z
  .object({
    divisionCode: divisionCodeSchema,
    urbanRural: z.enum(['urban', 'rural']),
    address: z.string().trim().min(2).max(200),
    members: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(50),
            residentId: residentIdSchema,
            relationship: z.enum(RELATIONSHIPS),
          })
          .strict(),
      )
      .min(1)
      .max(30),
  })
  .strict()
  .superRefine((household, ctx) => {
    const heads = household.members.filter((m) => m.relationship === 'head').length;
    if (heads !== 1) {
      ctx.addIssue({ code: 'custom', path: ['members'], message: `a household has exactly one head, found ${heads}`, params: { rule: 'one-head' } });
    }
    const seen = new Set<string>();
    household.members.forEach((m, i) => {
      if (seen.has(m.residentId)) {
        ctx.addIssue({ code: 'custom', path: ['members', i, 'residentId'], message: 'the same person is listed twice', params: { rule: 'unique' } });
      }
      seen.add(m.residentId);
    });
  });
export type RegisterHouseholdRequest = z.input<typeof registerHouseholdSchema>;

export const getHouseholdSchema = z.object({ id: uuidSchema }).strict();

export interface HouseholdMemberView {
  id: string;
  name: string;
  /** Masked (430503********123X) unless the caller may see it. */
  residentId: string;
  relationship: (typeof RELATIONSHIPS)[number];
  birthDate: string;
  sex: 'male' | 'female';
}

export interface HouseholdView {
  id: string;
  divisionCode: string;
  urbanRural: 'urban' | 'rural';
  address: string;
  members: HouseholdMemberView[];
  createdAt: string;
}
