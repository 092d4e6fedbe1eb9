import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';
import { addExamples } from '../request-examples';

/** Categories of the 2022 地名管理条例. */
export const PLACE_NAME_CATEGORIES = [
  'natural-feature',
  'administrative-division',
  'committee-seat',
  'park-or-protected-area',
  'street-road-lane',
  'residential-area-or-building',
  'infrastructure',
  'other',
] as const;
export type PlaceNameCategory = (typeof PLACE_NAME_CATEGORIES)[number];

/** The statuses a name of a place can have; exactly one current `standard` name per place. */
export const NAME_VERSION_STATUSES = ['standard', 'former', 'colloquial', 'abbreviation'] as const;
export type NameVersionStatus = (typeof NAME_VERSION_STATUSES)[number];
/** The versions added beside the standard name (renaming, not this list, makes a standard name former). */
export const ALIAS_STATUSES = ['former', 'colloquial', 'abbreviation'] as const;
export type AliasStatus = (typeof ALIAS_STATUSES)[number];

const isoDate = z.iso.date();
/** A place name as written: Chinese characters mostly; the naming rules judge the content. */
export const placeNameTextSchema = z.string().trim().min(2).max(50);
/** Hanyu Pinyin romanization as shown on signs (GB 17733), letters, spaces, apostrophes, hyphens. */
const romanizationSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-zÀ-ɏ' \-·]+$/u, 'a romanization is written in Latin letters (pinyin), spaces, apostrophes and hyphens');

const aliasSchema = z
  .object({
    name: placeNameTextSchema,
    status: z.enum(ALIAS_STATUSES),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
  })
  .strict();

const detailFields = {
  /** 地名类别下的通名类型, e.g. 路 街 巷 小区 村 山 河 桥. */
  type: z.string().trim().min(1).max(20).optional(),
  pinyin: romanizationSchema.optional(),
  locationDescription: z.string().trim().max(500).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  approvingAuthority: z.string().trim().min(1).max(100).optional(),
  approvalDate: isoDate.optional(),
  origin: z.string().trim().max(2000).optional(),
};

export const createPlaceNameSchema = z
  .object({
    name: placeNameTextSchema,
    category: z.enum(PLACE_NAME_CATEGORIES),
    divisionCode: divisionCodeSchema,
    ...detailFields,
    aliases: z.array(aliasSchema).max(20).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.longitude === undefined) !== (value.latitude === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.longitude === undefined ? 'longitude' : 'latitude'], message: 'longitude and latitude go together' });
    }
    value.aliases?.forEach((alias, index) => {
      if (alias.validFrom !== undefined && alias.validTo !== undefined && alias.validTo <= alias.validFrom) {
        ctx.addIssue({ code: 'custom', path: ['aliases', index, 'validTo'], message: 'validTo must be after validFrom' });
      }
    });
  });
addExamples(createPlaceNameSchema, [
  {
    value: {
      name: '东方华庭',
      category: 'residential-area-or-building',
      divisionCode: '430503001001',
      type: '小区',
      pinyin: 'Dongfang Huating',
      locationDescription: '中心路示例社区一，红旗路与敏州西路交会处东北侧',
      longitude: 111.4675,
      latitude: 27.2391,
      approvingAuthority: '邵阳市大祥区人民政府',
      approvalDate: '2019-05-01',
      origin: '取“东方”“华庭”之意，寓居所雅致',
      aliases: [
        { name: '东方威尼斯小区', status: 'former', validTo: '2019-05-01' },
        { name: '东华', status: 'abbreviation' },
      ],
    },
  },
]);
export type CreatePlaceNameRequest = z.input<typeof createPlaceNameSchema>;
export type NewPlaceName = z.output<typeof createPlaceNameSchema>;

export const getPlaceNameSchema = z.object({ id: uuidSchema }).strict();
export type GetPlaceNameRequest = z.input<typeof getPlaceNameSchema>;

/** Corrects the details of a record (not its name: renaming is the naming workflow). */
export const updatePlaceNameSchema = z
  .object({
    id: uuidSchema,
    expectedVersion: z.number().int().min(1),
    ...detailFields,
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.longitude === undefined) !== (value.latitude === undefined)) {
      ctx.addIssue({ code: 'custom', path: [value.longitude === undefined ? 'longitude' : 'latitude'], message: 'longitude and latitude go together' });
    }
  });
addExamples(updatePlaceNameSchema, [
  {
    value: {
      id: '01a217ef-eba2-7546-aae3-da8ce0144799',
      expectedVersion: 3,
      locationDescription: '中心路示例社区一，红旗路与敏州西路交会处东北侧，小区正门朝南',
      longitude: 111.4678,
      latitude: 27.2389,
    },
  },
]);
export type UpdatePlaceNameRequest = z.input<typeof updatePlaceNameSchema>;

export const addNameVersionSchema = z
  .object({ id: uuidSchema, ...aliasSchema.shape })
  .strict()
  .superRefine((value, ctx) => {
    if (value.validFrom !== undefined && value.validTo !== undefined && value.validTo <= value.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'validTo must be after validFrom' });
    }
  });
addExamples(addNameVersionSchema, [
  { value: { id: '01a217ef-eba2-7546-aae3-da8ce0144799', name: '威尼斯', status: 'colloquial' } },
]);
export type AddNameVersionRequest = z.input<typeof addNameVersionSchema>;

export const abolishPlaceNameSchema = z
  .object({
    id: uuidSchema,
    effectiveDate: isoDate,
    reason: z.string().trim().min(2).max(500),
    approvingAuthority: z.string().trim().min(1).max(100).optional(),
    documentNumber: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
addExamples(abolishPlaceNameSchema, [
  {
    value: {
      id: '01a217ef-ebac-7043-a7e6-4bf3d4dc54bc',
      effectiveDate: '2026-12-01',
      reason: '棚户区改造，原巷道拆除并入新建道路，名称不再使用',
      approvingAuthority: '邵阳市大祥区人民政府',
      documentNumber: '大政函〔2026〕45号',
    },
  },
]);
export type AbolishPlaceNameRequest = z.input<typeof abolishPlaceNameSchema>;

/** Query strings arrive as text; "true"/"false" only. */
const queryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * Public search. Any text is accepted (the service normalises it and never fails on odd input);
 * only a query longer than a URL should carry is refused.
 */
export const searchPlaceNamesSchema = z
  .object({
    q: z.string().max(1000).optional(),
    category: z.enum(PLACE_NAME_CATEGORIES).optional(),
    /** Names in this division or below it. */
    divisionCode: divisionCodeSchema.optional(),
    includeAbolished: queryBoolean.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type SearchPlaceNamesRequest = z.input<typeof searchPlaceNamesSchema>;


export interface PlaceNameVersionView {
  id: string;
  name: string;
  pinyin: string;
  status: NameVersionStatus;
  validFrom: string | null;
  validTo: string | null;
}

export interface PlaceNameView {
  id: string;
  /** The current standard name. */
  name: string;
  category: PlaceNameCategory;
  type: string | null;
  divisionCode: string;
  pinyin: string;
  /** True when an officer edited the generated romanization. */
  pinyinEdited: boolean;
  locationDescription: string | null;
  longitude: number | null;
  latitude: number | null;
  approvingAuthority: string | null;
  approvalDate: string | null;
  origin: string | null;
  status: 'in-use' | 'abolished';
  abolishedOn: string | null;
  /** Generated demo data, not a real record. */
  demo: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  versions: PlaceNameVersionView[];
}

export type SearchMatchKind = 'name' | 'name-prefix' | 'name-contains' | 'pinyin' | 'pinyin-prefix' | 'initials' | 'browse';

export interface PlaceNameSearchHit {
  id: string;
  name: string;
  pinyin: string;
  category: PlaceNameCategory;
  type: string | null;
  divisionCode: string;
  status: 'in-use' | 'abolished';
  /** The name version that matched: the standard name, or a former name, colloquial name or abbreviation. */
  matched: { name: string; status: NameVersionStatus; by: SearchMatchKind };
}

export interface PlaceNameSearchResult {
  /** The query as searched, after normalisation (full-width to half-width, case, symbols removed). */
  query: string;
  items: PlaceNameSearchHit[];
}
