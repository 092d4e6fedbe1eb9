import type { DataElement } from '../elements';
import type { EventMapper } from '../mapping';

/** Every mapper reporting applies; one file per source service. */
export const ALL_MAPPERS: readonly EventMapper[] = [];

/** Every data element, defined beside the mappers that feed it. */
export const ALL_ELEMENTS: readonly DataElement[] = [];
