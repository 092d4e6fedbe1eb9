import type { ElementRef, FrozenElementValue } from '@civil/contracts';
import type { EntityManager } from 'typeorm';
import { yearRange, type DataElementsService } from '../projections/data-elements.service';

/**
 * How indicators, budget execution and validation read data elements over a year. Live reads go
 * to the projections; approval reads through a recorder so the snapshot holds every value used.
 */
export interface ElementReader {
  value(year: number, ref: ElementRef): Promise<number>;
}

export class LiveElementReader implements ElementReader {
  constructor(
    private readonly elements: DataElementsService,
    private readonly manager?: EntityManager,
  ) {}

  value(year: number, ref: ElementRef): Promise<number> {
    return this.elements.value(ref.element, yearRange(year), ref.urbanRural ? { urbanRural: ref.urbanRural } : {}, this.manager);
  }
}

/** Reads through `inner` once per figure and remembers what it read. */
export class RecordingElementReader implements ElementReader {
  private readonly seen = new Map<string, FrozenElementValue>();

  constructor(private readonly inner: ElementReader) {}

  async value(year: number, ref: ElementRef): Promise<number> {
    const key = keyOf(ref.element, ref.urbanRural ?? null);
    const known = this.seen.get(key);
    if (known) return known.value;
    const value = await this.inner.value(year, ref);
    this.seen.set(key, { element: ref.element, urbanRural: ref.urbanRural ?? null, value });
    return value;
  }

  recorded(): FrozenElementValue[] {
    return [...this.seen.values()].sort((a, b) => keyOf(a.element, a.urbanRural).localeCompare(keyOf(b.element, b.urbanRural)));
  }
}

export function keyOf(element: string, urbanRural: 'urban' | 'rural' | null): string {
  return urbanRural ? `${element}|${urbanRural}` : element;
}
