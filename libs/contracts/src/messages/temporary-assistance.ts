/** Messages and events of 临时救助 (temporary assistance). */
import { z } from 'zod';
import { uuidSchema } from '../validation';

const caseInput = {
  householdId: uuidSchema,
  /** What happened (fire, accident, sudden illness) or what the costs are for. */
  cause: z.string().trim().min(1).max(2000),
  /** People in the household affected. */
  persons: z.int().min(1).max(100),
  /** The amount asked for or granted, in fen; the service checks it against the cap. */
  amountFen: z.int().positive().max(Number.MAX_SAFE_INTEGER),
};

/** 急难型: granted at once by staff, documented after. */
export const grantEmergencyAssistanceSchema = z.object(caseInput).strict();
/** 支出型: applied for by a citizen for their own household, or by a clerk. */
export const applyTemporaryAssistanceSchema = z.object(caseInput).strict();
export type TemporaryAssistanceCaseInput = z.output<typeof grantEmergencyAssistanceSchema>;

/** One workflow action; the service validates the action name and its payload against its rules. */
export const temporaryAssistanceActionRequestSchema = z
  .object({
    caseId: uuidSchema,
    action: z.string().min(1).max(50),
    payload: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export const getTemporaryAssistanceSchema = z.object({ id: uuidSchema }).strict();

export interface TemporaryAssistanceCaseView {
  id: string;
  householdId: string;
  divisionCode: string;
  urbanRural: 'urban' | 'rural';
  kind: 'emergency' | 'expenditure';
  cause: string;
  persons: number;
  amountFen: number;
  status: string;
  /** The monthly 低保 standard and the limits fixed when the case was opened. */
  standardFen: number;
  capFen: number;
  townshipLimitFen: number;
  grantedOn: string | null;
  rejectionReason: string | null;
  documents: string[];
  allowedActions: string[];
  actions: { seq: number; action: string; role: string; actorId: string; date: string; payload: Record<string, unknown> }[];
}

export const TemporaryAssistanceEvents = {
  granted: 'civil.social-assistance.temporary-assistance.granted.v1',
} as const;

/** An emergency grant, or an approved expenditure case: money is to be paid once. */
export interface TemporaryAssistanceGrantedV1 {
  caseId: string;
  householdId: string;
  kind: 'emergency' | 'expenditure';
  persons: number;
  amountFen: number;
  urbanRural: 'urban' | 'rural';
  /** YYYY-MM-DD, Asia/Shanghai. */
  grantedOn: string;
}
