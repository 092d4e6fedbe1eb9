import { z } from 'zod';
import { divisionCodeSchema, uuidSchema } from '../validation';

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

export const createPlaceNameSchema = z
  .object({
    name: z.string().trim().min(2).max(50),
    category: z.enum(PLACE_NAME_CATEGORIES),
    divisionCode: divisionCodeSchema,
    pinyin: z.string().trim().max(200).optional(),
    locationDescription: z.string().trim().max(500).optional(),
    origin: z.string().trim().max(2000).optional(),
  })
  .strict();
export type CreatePlaceNameRequest = z.input<typeof createPlaceNameSchema>;

export const getPlaceNameSchema = z.object({ id: uuidSchema }).strict();
export type GetPlaceNameRequest = z.input<typeof getPlaceNameSchema>;

export const listPlaceNamesSchema = z
  .object({
    q: z.string().trim().max(50).optional(),
    divisionCode: divisionCodeSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListPlaceNamesRequest = z.input<typeof listPlaceNamesSchema>;

export interface PlaceNameView {
  id: string;
  name: string;
  category: PlaceNameCategory;
  divisionCode: string;
  pinyin: string | null;
  locationDescription: string | null;
  origin: string | null;
  status: 'standard';
  createdAt: string;
}

export interface PlaceNameList {
  items: PlaceNameView[];
}
