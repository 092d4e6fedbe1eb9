import type { DataElement } from '../elements';
import type { EventMapper } from '../mapping';
import { ELDERLY_CARE_ELEMENTS, ELDERLY_CARE_MAPPERS } from './elderly-care';
import { PLACE_NAMES_ELEMENTS, PLACE_NAMES_MAPPERS } from './place-names';
import { SOCIAL_AFFAIRS_ELEMENTS, SOCIAL_AFFAIRS_MAPPERS } from './social-affairs';
import { SOCIAL_ASSISTANCE_ELEMENTS, SOCIAL_ASSISTANCE_MAPPERS } from './social-assistance';

/** Every mapper reporting applies; one file per source service. */
export const ALL_MAPPERS: readonly EventMapper[] = [...SOCIAL_ASSISTANCE_MAPPERS, ...SOCIAL_AFFAIRS_MAPPERS, ...ELDERLY_CARE_MAPPERS, ...PLACE_NAMES_MAPPERS];

/** Every data element, defined beside the mappers that feed it. */
export const ALL_ELEMENTS: readonly DataElement[] = [...SOCIAL_ASSISTANCE_ELEMENTS, ...SOCIAL_AFFAIRS_ELEMENTS, ...ELDERLY_CARE_ELEMENTS, ...PLACE_NAMES_ELEMENTS];
