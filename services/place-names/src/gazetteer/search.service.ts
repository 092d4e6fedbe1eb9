import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type {
  NameVersionStatus,
  PlaceNameCategory,
  PlaceNameSearchHit,
  PlaceNameSearchResult,
  SearchMatchKind,
  searchPlaceNamesSchema,
} from '@civil/contracts';
import type { z } from 'zod';
import { bigramsOf, normaliseForSearch } from './romanization';

export type SearchPlaceNames = z.output<typeof searchPlaceNamesSchema>;

/** Longer queries are cut: no place name is longer than 50 characters. */
const MAX_QUERY_CHARACTERS = 50;
/** Candidates taken from each index before ranking. */
const CANDIDATES_PER_MATCH = 200;

/**
 * How a match ranks, best first. Within one kind: places in use before abolished ones, the
 * standard name before a former one, shorter matched names first.
 */
const MATCH_KINDS: readonly SearchMatchKind[] = ['name', 'name-prefix', 'name-contains', 'pinyin', 'pinyin-prefix', 'initials'];

interface HitRow {
  id: string;
  name: string;
  pinyin: string;
  category: PlaceNameCategory;
  type: string | null;
  division_code: string;
  status: 'in-use' | 'abolished';
  matched_name: string;
  matched_status: NameVersionStatus;
  rank: number;
}

/** `LIKE` pattern for the names in a division and below it: 430503000000 → 430503%. */
export function divisionScopePattern(code: string): string {
  let prefix = code.replace(/(000)+$/, '');
  if (prefix.length <= 6) prefix = prefix.replace(/(00)+$/, '');
  return `${prefix}%`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * The public search over every name version (standard, former, colloquial, abbreviation): by the
 * name itself, its toneless pinyin and its initials. Each kind of match reads its own index with
 * a bounded number of candidates, so the cost does not grow with the gazetteer; the candidates
 * are ranked together and each place appears once, under its best match. Any text is a valid
 * query: it is normalised first, and what is left after that may be nothing at all (then the
 * search lists places in name order, within the filters).
 */
@Injectable()
export class SearchService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async search(input: SearchPlaceNames): Promise<PlaceNameSearchResult> {
    const query = [...normaliseForSearch(input.q ?? '')].slice(0, MAX_QUERY_CHARACTERS).join('');
    const filters = {
      category: input.category ?? null,
      division: input.divisionCode === undefined ? null : divisionScopePattern(input.divisionCode),
      includeAbolished: input.includeAbolished ?? false,
    };
    const rows = query === '' ? await this.browse(filters, input.limit) : await this.match(query, filters, input.limit);
    return { query, items: rows.map(toHit) };
  }

  private async browse(filters: Filters, limit: number): Promise<HitRow[]> {
    return this.dataSource.query<HitRow[]>(
      `SELECT id, name, pinyin, category, type, division_code, status, name AS matched_name, 'standard' AS matched_status, -1 AS rank
         FROM place_name
        WHERE ($1::text IS NULL OR category = $1) AND ($2::text IS NULL OR division_code LIKE $2) AND ($3 OR status = 'in-use')
        ORDER BY name, id LIMIT $4`,
      [filters.category, filters.division, filters.includeAbolished, limit],
    );
  }

  private async match(query: string, filters: Filters, limit: number): Promise<HitRow[]> {
    const characters = [...query].length;
    const latin = /^[a-z0-9]+$/.test(query) && /[a-z]/.test(query);
    const branches: string[] = [];
    // $1 query, $2 prefix pattern, $3 bigrams, $4 category, $5 division pattern, $6 include abolished
    const where = `AND ($4::text IS NULL OR category = $4) AND ($5::text IS NULL OR division_code LIKE $5) AND ($6 OR in_use)`;
    const branch = (kind: SearchMatchKind, condition: string): void => {
      branches.push(
        `(SELECT place_name_id, name, status, in_use, ${MATCH_KINDS.indexOf(kind)} AS rank FROM place_name_version WHERE ${condition} ${where} LIMIT ${CANDIDATES_PER_MATCH})`,
      );
    };
    branch('name', 'name_key = $1');
    branch('name-prefix', 'name_key LIKE $2 AND name_key <> $1');
    // With fewer than two characters there is no bigram; the planner drops the branch (empty $3).
    branch('name-contains', 'cardinality($3::text[]) > 0 AND grams @> $3::text[] AND strpos(name_key, $1) > 1');
    if (latin) {
      branch('pinyin', 'pinyin_key = $1');
      if (characters >= 2) branch('pinyin-prefix', 'pinyin_key LIKE $2 AND pinyin_key <> $1');
      if (characters >= 2) branch('initials', 'initials LIKE $2');
    }
    // Ranked on the version rows alone (each place once, under its best match), and only the page
    // is joined to the records: the join costs one index lookup per place shown, not per candidate.
    return this.dataSource.query<HitRow[]>(
      `WITH hits AS (${branches.join(' UNION ALL ')}),
       best AS (
         SELECT DISTINCT ON (place_name_id) place_name_id, name, status, in_use, rank FROM hits
          ORDER BY place_name_id, rank, (status <> 'standard'), char_length(name)),
       page AS (
         SELECT * FROM best ORDER BY rank, NOT in_use, (status <> 'standard'), char_length(name), name, place_name_id LIMIT $7)
       SELECT p.id, p.name, p.pinyin, p.category, p.type, p.division_code, p.status, b.name AS matched_name, b.status AS matched_status, b.rank
         FROM page b JOIN place_name p ON p.id = b.place_name_id
        ORDER BY b.rank, NOT b.in_use, (b.status <> 'standard'), char_length(b.name), b.name, p.id`,
      [query, `${escapeLike(query)}%`, bigramsOf(query), filters.category, filters.division, filters.includeAbolished, limit],
    );
  }
}

interface Filters {
  category: PlaceNameCategory | null;
  division: string | null;
  includeAbolished: boolean;
}

function toHit(row: HitRow): PlaceNameSearchHit {
  return {
    id: row.id,
    name: row.name,
    pinyin: row.pinyin,
    category: row.category,
    type: row.type,
    divisionCode: row.division_code,
    status: row.status,
    matched: { name: row.matched_name, status: row.matched_status, by: row.rank < 0 ? 'browse' : (MATCH_KINDS[row.rank] ?? 'name') },
  };
}
