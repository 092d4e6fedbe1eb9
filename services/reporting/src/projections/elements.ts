/**
 * Data elements: the named figures indicators and the report are computed from. A flow element
 * sums the facts of that element over a period; a stock element counts the entities (or their
 * persons) whose latest state version on the period's last day is active and matches `where`.
 * The catalogue is code (each element is tied to the mappers that feed it); indicators, targets,
 * weights and the report's wording are data.
 */
export type ElementUnit = 'count' | 'persons' | 'households' | 'person-times' | 'person-months' | 'fen';

export interface FlowElement {
  code: string;
  kind: 'flow';
  label: string;
  unit: ElementUnit;
}

export interface StockElement {
  code: string;
  kind: 'stock';
  label: string;
  unit: ElementUnit;
  entityKind: string;
  measure: 'entities' | 'persons';
  where?: Record<string, string | number | boolean>;
}

export type DataElement = FlowElement | StockElement;

export function catalogue(elements: readonly DataElement[]): Map<string, DataElement> {
  const byCode = new Map<string, DataElement>();
  for (const element of elements) {
    if (byCode.has(element.code)) throw new Error(`data element ${element.code} is defined twice`);
    byCode.set(element.code, element);
  }
  return byCode;
}
