/**
 * Messages of versioned administrative divisions (行政区划): one change command whose input is a
 * discriminated union on `kind`, and the public reads (tree as of a date, one division's history,
 * resolving a code as of a date, changes in a period). Codes go through `divisionCodeSchema`, so a
 * 6- or 9-digit code is accepted and padded to its 12-digit statistical form (430503 →
 * 430503000000); a malformed code is refused naming the field.
 */
import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

const isoDate = z.iso.date();
const text = (max: number) => z.string().trim().min(1).max(max);

export const ADMINISTRATIVE_LEVELS = ['province', 'city', 'county', 'street', 'town', 'township', 'community', 'village'] as const;
/** `street` 街道, `town` 镇, `township` 乡, `community` 居委会 (社区), `village` 村委会. */
export type AdministrativeLevel = (typeof ADMINISTRATIVE_LEVELS)[number];

export const DIVISION_URBAN_RURAL = ['urban', 'rural'] as const;
export type DivisionUrbanRural = (typeof DIVISION_URBAN_RURAL)[number];

export const DIVISION_CHANGE_KINDS = ['create', 'rename', 'recode', 'move', 'merge', 'split', 'abolish'] as const;
export type DivisionChangeKind = (typeof DIVISION_CHANGE_KINDS)[number];

/** Every change: the date it takes effect and the approval document (e.g. 湘政函〔2023〕12号). */
const changeBase = {
  effectiveDate: isoDate,
  documentNumber: text(100),
  note: text(2000).optional(),
};

/** The division a rename, recode, move or abolish acts on: by its stable id or by its code in force on the effective date. */
const target = {
  divisionId: uuidSchema.optional(),
  code: divisionCodeSchema.optional(),
};
function oneTarget(value: { divisionId?: string | undefined; code?: string | undefined }, ctx: z.RefinementCtx): void {
  if ((value.divisionId === undefined) === (value.code === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['code'], message: 'give exactly one of divisionId and code', params: { rule: 'one-of-divisionId-code' } });
  }
}

/**
 * A successor of a merge or split: an existing division in force on the effective date
 * (`existingCode`), or a new one (`code`, `name`, `urbanRural`).
 */
const successorFields = {
  existingCode: divisionCodeSchema.optional(),
  code: divisionCodeSchema.optional(),
  name: text(50).optional(),
  urbanRural: z.enum(DIVISION_URBAN_RURAL).optional(),
};
function successorShape(value: { existingCode?: string | undefined; code?: string | undefined; name?: string | undefined; urbanRural?: string | undefined }, ctx: z.RefinementCtx): void {
  const issue = (field: string, rule: string, message: string): void => ctx.addIssue({ code: 'custom', path: [field], message, params: { rule } });
  if (value.existingCode !== undefined) {
    for (const field of ['code', 'name', 'urbanRural'] as const) {
      if (value[field] !== undefined) issue(field, 'not-with-existingCode', 'an existing successor keeps its code, name and classification');
    }
    return;
  }
  if (value.code === undefined) issue('code', 'required', 'a new successor needs a code (or give existingCode)');
  if (value.name === undefined) issue('name', 'required', 'a new successor needs a name');
  if (value.urbanRural === undefined) issue('urbanRural', 'required', 'a new successor needs urbanRural');
}

export const divisionSuccessorSchema = z.object(successorFields).strict().superRefine(successorShape);
export type DivisionSuccessorInput = z.input<typeof divisionSuccessorSchema>;

export const divisionSplitSuccessorSchema = z
  .object({ ...successorFields, childCodes: z.array(divisionCodeSchema).max(500).default([]) })
  .strict()
  .superRefine(successorShape);
export type DivisionSplitSuccessorInput = z.input<typeof divisionSplitSuccessorSchema>;

export const createDivisionChangeSchema = z
  .object({ kind: z.literal('create'), ...changeBase, code: divisionCodeSchema, name: text(50), parentCode: divisionCodeSchema, urbanRural: z.enum(DIVISION_URBAN_RURAL) })
  .strict();
export const renameDivisionChangeSchema = z.object({ kind: z.literal('rename'), ...changeBase, ...target, newName: text(50) }).strict().superRefine(oneTarget);
export const recodeDivisionChangeSchema = z.object({ kind: z.literal('recode'), ...changeBase, ...target, newCode: divisionCodeSchema }).strict().superRefine(oneTarget);
export const moveDivisionChangeSchema = z.object({ kind: z.literal('move'), ...changeBase, ...target, newParentCode: divisionCodeSchema }).strict().superRefine(oneTarget);
export const mergeDivisionChangeSchema = z
  .object({ kind: z.literal('merge'), ...changeBase, predecessorCodes: z.array(divisionCodeSchema).min(2).max(50), successor: divisionSuccessorSchema })
  .strict();
export const splitDivisionChangeSchema = z
  .object({ kind: z.literal('split'), ...changeBase, predecessorCode: divisionCodeSchema, successors: z.array(divisionSplitSuccessorSchema).min(2).max(50) })
  .strict();
export const abolishDivisionChangeSchema = z
  .object({ kind: z.literal('abolish'), ...changeBase, ...target, successorCode: divisionCodeSchema.optional() })
  .strict()
  .superRefine(oneTarget);

/** The one write command: `kind` selects the change. */
export const divisionChangeSchema = z.discriminatedUnion('kind', [
  createDivisionChangeSchema,
  renameDivisionChangeSchema,
  recodeDivisionChangeSchema,
  moveDivisionChangeSchema,
  mergeDivisionChangeSchema,
  splitDivisionChangeSchema,
  abolishDivisionChangeSchema,
]);
export type DivisionChangeInput = z.input<typeof divisionChangeSchema>;
export type DivisionChange = z.output<typeof divisionChangeSchema>;

/**
 * The same command as one object for the gateway: its shape lists every field any kind takes (the
 * OpenAPI document and route table need an object), and the refinement runs the discriminated
 * union, so a request is refused exactly as the service would refuse it.
 */
export const divisionChangeRequestSchema = z
  .object({
    kind: z.enum(DIVISION_CHANGE_KINDS),
    ...changeBase,
    divisionId: uuidSchema.optional(),
    code: divisionCodeSchema.optional(),
    name: text(50).optional(),
    parentCode: divisionCodeSchema.optional(),
    urbanRural: z.enum(DIVISION_URBAN_RURAL).optional(),
    newName: text(50).optional(),
    newCode: divisionCodeSchema.optional(),
    newParentCode: divisionCodeSchema.optional(),
    predecessorCodes: z.array(divisionCodeSchema).optional(),
    successor: z.object(successorFields).strict().optional(),
    predecessorCode: divisionCodeSchema.optional(),
    successors: z.array(z.object({ ...successorFields, childCodes: z.array(divisionCodeSchema).optional() }).strict()).optional(),
    successorCode: divisionCodeSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const parsed = divisionChangeSchema.safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const params = (issue as { params?: { rule?: unknown } }).params;
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { rule: typeof params?.rule === 'string' ? params.rule : issue.code } });
    }
  });
addExamples(divisionChangeRequestSchema, [
  {
    summary: 'Rename a community',
    value: { kind: 'rename', effectiveDate: '2027-01-01', documentNumber: '邵政函〔2026〕58号', code: '430503001001', newName: '东方华庭社区' },
  },
  {
    summary: 'Create a community under a 街道',
    value: {
      kind: 'create',
      effectiveDate: '2027-01-01',
      documentNumber: '邵政函〔2026〕58号',
      code: '430503001009',
      name: '中心路示例社区九',
      parentCode: '430503001000',
      urbanRural: 'urban',
    },
  },
  {
    summary: 'Merge two villages into a new one',
    value: {
      kind: 'merge',
      effectiveDate: '2027-01-01',
      documentNumber: '湘政函〔2026〕112号',
      note: '板桥乡村级建制调整',
      predecessorCodes: ['430503203215', '430503203216'],
      successor: { code: '430503203217', name: '板桥示例村十七', urbanRural: 'rural' },
    },
  },
]);

export const divisionTreeSchema = z
  .object({
    asOf: isoDate.optional(),
    /** Defaults to the county 大祥区 (430503000000). */
    root: divisionCodeSchema.optional(),
  })
  .strict();
export type DivisionTreeInput = z.input<typeof divisionTreeSchema>;

export const divisionHistorySchema = z.object({ code: divisionCodeSchema }).strict();
export type DivisionHistoryInput = z.input<typeof divisionHistorySchema>;

export const resolveDivisionSchema = z.object({ code: divisionCodeSchema, asOf: isoDate.optional() }).strict();
export type ResolveDivisionInput = z.input<typeof resolveDivisionSchema>;

export const listDivisionChangesSchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    kind: z.enum(DIVISION_CHANGE_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.from !== undefined && value.to !== undefined && value.from > value.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from', params: { rule: 'after-from' } });
    }
  });
export type ListDivisionChangesInput = z.input<typeof listDivisionChangesSchema>;

// ---------------------------------------------------------------------------------------------
// Views

/** A division as it stood on a date (one version). */
export interface DivisionView {
  divisionId: string;
  code: string;
  name: string;
  level: AdministrativeLevel;
  urbanRural: DivisionUrbanRural;
  demo: boolean;
  /** The version's validity: from (inclusive) to (exclusive, null = open). */
  validFrom: string;
  validTo: string | null;
  parent: { divisionId: string; code: string; name: string } | null;
}

export interface DivisionTreeNode {
  divisionId: string;
  code: string;
  name: string;
  level: AdministrativeLevel;
  urbanRural: DivisionUrbanRural;
  demo: boolean;
  validFrom: string;
  validTo: string | null;
  children: DivisionTreeNode[];
}

export interface DivisionTreeView {
  asOf: string;
  root: DivisionTreeNode;
}

export interface DivisionRef {
  divisionId: string;
  code: string;
  name: string;
}

export interface DivisionVersionView {
  id: string;
  code: string;
  name: string;
  level: AdministrativeLevel;
  urbanRural: DivisionUrbanRural;
  parent: DivisionRef | null;
  validFrom: string;
  validTo: string | null;
  changeId: string | null;
}

export interface DivisionChangeView {
  id: string;
  kind: DivisionChangeKind;
  effectiveDate: string;
  documentNumber: string;
  note: string | null;
  recordedBy: string;
  recordedAt: string;
  predecessors: DivisionRef[];
  successors: DivisionRef[];
}

export interface DivisionLineageView extends DivisionRef {
  changeId: string;
  kind: DivisionChangeKind;
  effectiveDate: string;
}

export interface DivisionHistoryView {
  divisionId: string;
  level: AdministrativeLevel;
  demo: boolean;
  versions: DivisionVersionView[];
  changes: DivisionChangeView[];
  predecessors: DivisionLineageView[];
  successors: DivisionLineageView[];
}

export interface DivisionChangeListView {
  items: DivisionChangeView[];
}
