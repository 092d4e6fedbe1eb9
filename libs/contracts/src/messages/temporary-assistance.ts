/** Messages and events of 临时救助 (temporary assistance). */
import { z } from 'zod';
import { uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

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
addExamples(grantEmergencyAssistanceSchema, [
  { value: { householdId: '01a217ef-ebb1-7044-aa87-066eeef13af6', cause: '2026年11月3日住房失火，衣物被褥和家具损毁，暂无生活来源', persons: 3, amountFen: 300000 } },
]);
/** 支出型: applied for by a citizen for their own household, or by a clerk. */
export const applyTemporaryAssistanceSchema = z.object(caseInput).strict();
addExamples(applyTemporaryAssistanceSchema, [
  { value: { householdId: '01a217ef-ebb1-7044-aa87-066eeef13af6', cause: '户主王建国住院手术，医保报销后自付医疗费2.6万元，超出家庭承受能力', persons: 3, amountFen: 195000 } },
]);
export type TemporaryAssistanceCaseInput = z.output<typeof grantEmergencyAssistanceSchema>;

/** One workflow action; the service validates the action name and its payload against its rules. */
export const temporaryAssistanceActionRequestSchema = z
  .object({
    caseId: uuidSchema,
    action: z.string().min(1).max(50),
    payload: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
addExamples(temporaryAssistanceActionRequestSchema, [
  {
    summary: 'Add the documents of an emergency grant',
    value: { caseId: '01a217ef-ebb1-7044-aa87-1ac9ab3fab8b', action: 'add-documents', payload: { documents: ['火灾事故认定书（大祥区消防救援大队）', '社区居委会出具的受灾情况证明'], note: '急难型救助事后补齐材料' } },
  },
  { summary: 'Approve', value: { caseId: '01a217ef-ebb1-7044-aa87-1ac9ab3fab8b', action: 'approve', payload: { opinion: '情况属实，同意按3倍月低保标准给予临时救助' } } },
]);

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
