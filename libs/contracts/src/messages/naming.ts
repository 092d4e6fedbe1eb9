import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { PLACE_NAME_CATEGORIES, placeNameTextSchema, type PlaceNameCategory } from './place-names';
import { addExamples } from '../request-examples';

/**
 * Naming rules (地名命名规则) and the naming / renaming workflow (命名、更名申报 → 审核 → 批准 → 公告).
 * Rule codes are stable: clients may switch on them.
 */
export const NAMING_RULES = [
  /** The same normalised name is already a standard name in use within the scope. */
  'duplicate-in-scope',
  /** Same toneless pinyin as a standard name within the scope, other characters (warning). */
  'homophone-in-scope',
  /** "大、洋、怪、重" words such as 中华 世界 帝 (configurable). */
  'forbidden-word',
  /** Transliterated foreign place names and words such as 威尼斯 米兰 (configurable). */
  'foreign-word',
  /** Any Latin letter, pinyin included. */
  'latin-letters',
  /** Digits (ASCII or full-width) or symbols other than the middle dot ·. */
  'digits-symbols-pinyin-mix',
  /** Fewer than 2 characters. */
  'too-short',
  /** More than 20 characters. */
  'too-long',
  /** More than 15 characters (warning: allowed, but hard to use on signs and in addresses). */
  'long-name',
] as const;
export type NamingRule = (typeof NAMING_RULES)[number];
export type NamingSeverity = 'error' | 'warning';

export interface NamingFinding {
  rule: NamingRule;
  severity: NamingSeverity;
  message: string;
  /** What triggered it: the word, the characters, or the existing name and its place. */
  evidence?: { text?: string; placeNameId?: string; name?: string; divisionCode?: string };
}

export interface NamingCheckResult {
  name: string;
  /** True when no finding is an error (warnings are kept but do not block). */
  passes: boolean;
  findings: NamingFinding[];
}

const isoDate = z.iso.date();

/** A proposed name as typed: the rules explain what is wrong with it, so only its size is checked here. */
const proposedNameSchema = z.string().trim().min(1).max(50);

export const checkNameSchema = z
  .object({
    name: proposedNameSchema,
    category: z.enum(PLACE_NAME_CATEGORIES),
    type: z.string().trim().min(1).max(20).optional(),
    divisionCode: divisionCodeSchema,
    /** The place being renamed: its own names are not duplicates. */
    placeNameId: uuidSchema.optional(),
    /** The date whose rule words apply; today by default. */
    date: isoDate.optional(),
  })
  .strict();
addExamples(checkNameSchema, [
  { summary: 'A new road name', value: { name: '檀江路', category: 'street-road-lane', type: '路', divisionCode: '430503011000' } },
  { summary: 'A name the rules refuse (环球: a “大、洋、怪、重” word)', value: { name: '环球国际花园', category: 'residential-area-or-building', type: '小区', divisionCode: '430503001000' } },
]);
export type CheckNameRequest = z.input<typeof checkNameSchema>;
export type CheckNameInput = z.output<typeof checkNameSchema>;

export const RULE_WORD_KINDS = ['forbidden', 'foreign'] as const;
export type RuleWordKind = (typeof RULE_WORD_KINDS)[number];

const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

export const listRuleWordsSchema = z
  .object({
    kind: z.enum(RULE_WORD_KINDS).optional(),
    /** Retired words too. */
    includeRetired: queryBoolean.optional(),
  })
  .strict();
export type ListRuleWordsRequest = z.input<typeof listRuleWordsSchema>;

/** Adds a word to a list, or retires it from a date (retired words stay listed with their dates). */
export const changeRuleWordSchema = z
  .object({
    action: z.enum(['add', 'retire']),
    word: z.string().trim().min(1).max(20),
    kind: z.enum(RULE_WORD_KINDS),
    note: z.string().trim().max(500).optional(),
    /** From when the word is listed (add) or until when (retire); today by default. */
    date: isoDate.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.action === 'retire' && value.note !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'a note is given when a word is added' });
    }
  });
addExamples(changeRuleWordSchema, [
  { summary: 'List a foreign word', value: { action: 'add', word: '威尼斯', kind: 'foreign', note: '外国地名，不得用作居民区名称', date: '2026-12-01' } },
  { summary: 'Retire a word', value: { action: 'retire', word: '首府', kind: 'forbidden', date: '2026-12-01' } },
]);
export type ChangeRuleWordRequest = z.input<typeof changeRuleWordSchema>;

export interface RuleWordView {
  id: string;
  word: string;
  kind: RuleWordKind;
  note: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface RuleWordListView {
  items: RuleWordView[];
}

export const NAMING_PROPOSAL_KINDS = ['naming', 'renaming'] as const;
export type NamingProposalKind = (typeof NAMING_PROPOSAL_KINDS)[number];

/**
 * submitted → reviewed (forwarded for approval) | returned → approved | rejected → announced.
 * A proposal can be withdrawn by its submitter while submitted or reviewed.
 */
export const NAMING_PROPOSAL_STATUSES = ['submitted', 'returned', 'reviewed', 'approved', 'rejected', 'announced', 'withdrawn'] as const;
export type NamingProposalStatus = (typeof NAMING_PROPOSAL_STATUSES)[number];

const romanizationSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-zÀ-ɏ' \-·]+$/u, 'a romanization is written in Latin letters (pinyin), spaces, apostrophes and hyphens');

/**
 * Cross-field rules run even when other fields are already invalid, so one reply names every bad
 * field (they only test which fields are present, so a half-parsed object is safe to read).
 */
const CROSS_FIELD = { when: (payload: { value: unknown }): boolean => typeof payload.value === 'object' && payload.value !== null };

const documentSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    /** A file number, archive reference or link. */
    reference: z.string().trim().min(1).max(500),
  })
  .strict();

export const submitNamingProposalSchema = z
  .object({
    kind: z.enum(NAMING_PROPOSAL_KINDS),
    /** The place to rename (renaming only). */
    placeNameId: uuidSchema.optional(),
    name: placeNameTextSchema,
    pinyin: romanizationSchema.optional(),
    /** Required for a naming; a renaming takes them from the place. */
    category: z.enum(PLACE_NAME_CATEGORIES).optional(),
    divisionCode: divisionCodeSchema.optional(),
    type: z.string().trim().min(1).max(20).optional(),
    locationDescription: z.string().trim().max(500).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    /** 含义、来历. */
    origin: z.string().trim().min(2).max(2000),
    reason: z.string().trim().min(2).max(2000),
    documents: z.array(documentSchema).min(1, 'at least one supporting document').max(20),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.kind === 'renaming' && value.placeNameId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['placeNameId'], message: 'a renaming names the place to rename', params: { rule: 'required' } });
    }
    if (value.kind === 'naming') {
      if (value.placeNameId !== undefined) ctx.addIssue({ code: 'custom', path: ['placeNameId'], message: 'a naming is for a new place', params: { rule: 'not-allowed' } });
      if (value.category === undefined) ctx.addIssue({ code: 'custom', path: ['category'], message: 'a naming gives the category', params: { rule: 'required' } });
      if (value.divisionCode === undefined) ctx.addIssue({ code: 'custom', path: ['divisionCode'], message: 'a naming gives the division', params: { rule: 'required' } });
    }
    if ((value.longitude === undefined) !== (value.latitude === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.longitude === undefined ? 'longitude' : 'latitude'], message: 'longitude and latitude go together' });
    }
  }, CROSS_FIELD);
addExamples(submitNamingProposalSchema, [
  {
    summary: 'Name a new road',
    value: {
      kind: 'naming',
      name: '檀江路',
      pinyin: 'Tanjiang Lu',
      category: 'street-road-lane',
      divisionCode: '430503011000',
      type: '路',
      locationDescription: '檀江街道新建道路，北起雨溪东路，南至邵水河堤',
      longitude: 111.4958,
      latitude: 27.1984,
      origin: '以所在檀江街道得名',
      reason: '新建城市道路已竣工，需命名后设置标志',
      documents: [{ title: '建设工程规划许可证', reference: '邵规建字〔2026〕第112号' }],
    },
  },
  {
    summary: 'Rename a residential area whose name uses a foreign word',
    value: {
      kind: 'renaming',
      placeNameId: '01a217ef-ebac-7043-a7e6-4bf3d4dc54bc',
      name: '文庭雅苑',
      origin: '取“文雅庭苑”之意',
      reason: '原名“大顺米兰豪苑”含外国地名，不符合《地名管理条例》，予以更名',
      documents: [
        { title: '业主大会决议', reference: '2026年9月12日业主大会第3号决议' },
        { title: '红旗路街道办事处意见', reference: '红街函〔2026〕17号' },
      ],
    },
  },
]);
export type SubmitNamingProposalRequest = z.input<typeof submitNamingProposalSchema>;
export type SubmitNamingProposalInput = z.output<typeof submitNamingProposalSchema>;

/** Optimistic check: the version the caller read; a stale one is a CONFLICT. */
const expectedVersion = z.number().int().min(1).optional();

export const reviewNamingProposalSchema = z
  .object({
    id: uuidSchema,
    /** `forward`: approve for approval; `return`: send back to the submitter. */
    decision: z.enum(['forward', 'return']),
    opinion: z.string().trim().min(2).max(2000),
    /** A corrected romanization (polyphones, customary spellings). */
    pinyin: romanizationSchema.optional(),
    expectedVersion,
  })
  .strict();
addExamples(reviewNamingProposalSchema, [
  { value: { id: '01a217ef-ebac-7043-a7e6-4eab41a380c5', decision: 'forward', opinion: '名称符合命名规则，区内无重名、同音，拟同意，报区人民政府审批', expectedVersion: 1 } },
]);
export type ReviewNamingProposalRequest = z.input<typeof reviewNamingProposalSchema>;

export const approveNamingProposalSchema = z
  .object({
    id: uuidSchema,
    decision: z.enum(['approve', 'reject']),
    approvingAuthority: z.string().trim().min(1).max(100).optional(),
    approvalDate: isoDate.optional(),
    /** 批准文号. */
    documentNumber: z.string().trim().min(1).max(100).optional(),
    opinion: z.string().trim().min(2).max(2000).optional(),
    expectedVersion,
  })
  .strict()
  .superRefine((value, ctx) => {
    const required = (field: 'approvingAuthority' | 'approvalDate' | 'documentNumber' | 'opinion', why: string): void => {
      if (value[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why, params: { rule: 'required' } });
    };
    if (value.decision === 'approve') {
      required('approvingAuthority', 'an approval names the approving authority');
      required('approvalDate', 'an approval is dated');
      required('documentNumber', 'an approval has its document number');
    } else {
      required('opinion', 'a rejection gives its reasons');
    }
  }, CROSS_FIELD);
addExamples(approveNamingProposalSchema, [
  {
    summary: 'Approve',
    value: { id: '01a217ef-ebac-7043-a7e6-4eab41a380c5', decision: 'approve', approvingAuthority: '邵阳市大祥区人民政府', approvalDate: '2026-11-20', documentNumber: '大政函〔2026〕61号', expectedVersion: 2 },
  },
  { summary: 'Reject', value: { id: '01a217ef-ebac-7043-a7e6-4eab41a380c5', decision: 'reject', opinion: '与罗市镇已有“檀江村”同音近名，易产生混淆，请另拟名称', expectedVersion: 2 } },
]);
export type ApproveNamingProposalRequest = z.input<typeof approveNamingProposalSchema>;

export const announceNamingProposalSchema = z
  .object({
    id: uuidSchema,
    announcementNumber: z.string().trim().min(1).max(100),
    announcedOn: isoDate,
    /** When the name takes effect in the gazetteer; the announcement date by default. */
    effectiveDate: isoDate.optional(),
    expectedVersion,
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.effectiveDate !== undefined && value.effectiveDate < value.announcedOn) {
      ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: 'a name takes effect on or after its announcement', params: { rule: 'after-announcement' } });
    }
  });
addExamples(announceNamingProposalSchema, [
  { value: { id: '01a217ef-ebac-7043-a7e6-4eab41a380c5', announcementNumber: '大祥区地名公告〔2026〕第5号', announcedOn: '2026-11-27', effectiveDate: '2026-12-01', expectedVersion: 3 } },
]);
export type AnnounceNamingProposalRequest = z.input<typeof announceNamingProposalSchema>;

export const withdrawNamingProposalSchema = z
  .object({ id: uuidSchema, reason: z.string().trim().min(2).max(2000).optional(), expectedVersion })
  .strict();
addExamples(withdrawNamingProposalSchema, [
  { value: { id: '01a217ef-ebac-7043-a7e6-4eab41a380c5', reason: '道路规划调整，暂缓命名', expectedVersion: 1 } },
]);
export type WithdrawNamingProposalRequest = z.input<typeof withdrawNamingProposalSchema>;

export const getNamingProposalSchema = z.object({ id: uuidSchema }).strict();
export type GetNamingProposalRequest = z.input<typeof getNamingProposalSchema>;

export const listNamingProposalsSchema = z
  .object({
    status: z.enum(NAMING_PROPOSAL_STATUSES).optional(),
    kind: z.enum(NAMING_PROPOSAL_KINDS).optional(),
    /** Proposals in this division or below it. */
    divisionCode: divisionCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type ListNamingProposalsRequest = z.input<typeof listNamingProposalsSchema>;

export interface NamingProposalStepView {
  step: 'submitted' | 'reviewed' | 'returned' | 'approved' | 'rejected' | 'announced' | 'withdrawn';
  actor: string;
  at: string;
  opinion: string | null;
}

/** What is filed with the gazetteer when the proposal is announced (备案). */
export interface NamingFiling {
  standardName: string;
  romanization: string;
  category: PlaceNameCategory;
  divisionCode: string;
  locationDescription: string | null;
  longitude: number | null;
  latitude: number | null;
  approvingAuthority: string;
  approvalDate: string;
  documentNumber: string;
}

export interface NamingProposalView {
  id: string;
  kind: NamingProposalKind;
  /** The place renamed (renaming), or the place created once a naming is announced. */
  placeNameId: string | null;
  /** The name being replaced (renaming). */
  currentName: string | null;
  name: string;
  /** The romanization as edited, or generated from the name. */
  pinyin: string;
  pinyinEdited: boolean;
  category: PlaceNameCategory;
  type: string | null;
  divisionCode: string;
  locationDescription: string | null;
  longitude: number | null;
  latitude: number | null;
  origin: string;
  reason: string;
  documents: { title: string; reference: string }[];
  status: NamingProposalStatus;
  findings: { submission: NamingCheckResult; approval: NamingCheckResult | null };
  review: { reviewer: string; opinion: string; decision: 'forward' | 'return' } | null;
  approval: {
    decision: 'approve' | 'reject';
    approver: string;
    approvingAuthority: string | null;
    approvalDate: string | null;
    documentNumber: string | null;
    opinion: string | null;
  } | null;
  announcement: { announcementNumber: string; announcedOn: string; effectiveDate: string; filing: NamingFiling } | null;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  history: NamingProposalStepView[];
}

export interface NamingProposalListView {
  items: Omit<NamingProposalView, 'history'>[];
  total: number;
}
