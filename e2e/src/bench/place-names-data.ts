import type { Client } from 'pg';
import { pinyin } from 'pinyin-pro';

/** Rows per INSERT … SELECT. */
const BATCH = 100_000;

/** Specific-part characters (专名) and generic terms (通名); 60 × 60 × 12 names per division. */
export const SPECIFIC = [...'东南西北中新老上下大小红青白金银玉松柏桃李梅竹兰菊荷花山水江河湖溪塘桥田园林峰云星月阳光明华兴旺福寿康宁安平和顺丰茂'];
export const GENERIC = ['路', '街', '巷', '大道', '小区', '花园', '村', '社区', '公园', '桥', '山', '苑'];
const TOWNSHIPS = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010', '011', '101', '202', '203'];

export function toneless(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array' });
}

const sqlArray = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]::text[]`;

/**
 * Names number `from` to `to - 1`: name i is SPECIFIC[a] SPECIFIC[b] GENERIC[g] in division d,
 * (a, b, g, d) being the digits of i in bases 60, 60, 12 and 14 × 100 villages, so no name repeats
 * within a division. One INSERT … SELECT per table per batch.
 */
export async function generatePlaceNames(db: Client, from: number, to: number): Promise<void> {
  const chars = sqlArray(SPECIFIC);
  const charPinyin = sqlArray(SPECIFIC.map((c) => toneless(c)[0] ?? ''));
  const generics = sqlArray(GENERIC);
  const genericPinyin = sqlArray(GENERIC.map((g) => toneless(g).join('')));
  const genericInitials = sqlArray(GENERIC.map((g) => toneless(g).map((s) => s.charAt(0)).join('')));
  const genericFirst = sqlArray(GENERIC.map((g) => [...g][0] ?? ''));
  const townships = sqlArray(TOWNSHIPS);
  const nC = SPECIFIC.length;
  const nG = GENERIC.length;
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    await db.query(`
      WITH n AS (
        SELECT i, i % ${nC} + 1 AS a, (i / ${nC}) % ${nC} + 1 AS b, (i / ${nC * nC}) % ${nG} + 1 AS g, i / ${nC * nC * nG} AS d
          FROM generate_series(${start}, ${end - 1}) AS i),
      names AS (
        SELECT i, (${chars})[a] || (${chars})[b] || (${generics})[g] AS name,
               (${charPinyin})[a] || (${charPinyin})[b] || (${genericPinyin})[g] AS pinyin_key,
               left((${charPinyin})[a], 1) || left((${charPinyin})[b], 1) || (${genericInitials})[g] AS initials,
               ARRAY[(${chars})[a] || (${chars})[b], (${chars})[b] || (${genericFirst})[g]]
                 || CASE WHEN char_length((${generics})[g]) = 2 THEN ARRAY[(${generics})[g]] ELSE ARRAY[]::text[] END AS grams,
               CASE WHEN g IN (7, 8) THEN 'committee-seat' WHEN g IN (5, 6, 12) THEN 'residential-area-or-building'
                    WHEN g = 9 THEN 'park-or-protected-area' WHEN g IN (10) THEN 'infrastructure' WHEN g = 11 THEN 'natural-feature'
                    ELSE 'street-road-lane' END AS category,
               '430503' || (${townships})[d % 14 + 1] || lpad(((d / 14) % 999 + 1)::text, 3, '0') AS division_code,
               md5('bench-place-' || i)::uuid AS id
          FROM n),
      places AS (
        INSERT INTO place_name (id, name, category, division_code, pinyin, status, demo, created_by)
        SELECT id, name, category, division_code, initcap(pinyin_key), 'in-use', true, 'bench' FROM names
        ON CONFLICT DO NOTHING RETURNING id)
      INSERT INTO place_name_version (id, place_name_id, name, pinyin, name_key, pinyin_key, initials, grams, status, category, division_code)
      SELECT md5('bench-version-' || i)::uuid, names.id, name, initcap(pinyin_key), name, pinyin_key, initials, grams, 'standard', category, division_code
        FROM names JOIN places ON places.id = names.id`);
  }
  await db.query('VACUUM ANALYZE place_name');
  await db.query('VACUUM ANALYZE place_name_version');
}

