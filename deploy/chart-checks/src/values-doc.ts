import { parse } from 'yaml';

/**
 * The chart README's parameter table, generated from the `# --` comments of values.yaml in
 * helm-docs' style (`# -- description` right above a key, more `#` lines continue it,
 * `# @default -- text` replaces the shown default). helm-docs itself reads the same comments;
 * this generator exists so the check needs no second binary.
 */
export interface ValueDoc {
  key: string;
  type: string;
  default: string;
  description: string;
}

export interface ValuesDocs {
  rows: ValueDoc[];
  /** Values (leaves) with no description on themselves or a parent. */
  undocumented: string[];
}

const KEY_LINE = /^(\s*)("[^"]+"|'[^']+'|[^\s#'"-][^:#]*?|-[^\s:#][^:#]*?):(?:\s|$)/;

function unquote(key: string): string {
  return /^["'].*["']$/.test(key) ? key.slice(1, -1) : key;
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'string';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** JSON with object keys sorted, as helm-docs prints defaults. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : isPlainObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])])) : v;
  return JSON.stringify(sort(value ?? null));
}

function leaves(value: unknown, path: string[] = []): string[][] {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, key]));
  }
  return path.length === 0 ? [] : [path];
}

export function parseValuesDocs(text: string): ValuesDocs {
  const values: unknown = parse(text);
  const rows: ValueDoc[] = [];
  const documented: string[][] = [];
  const stack: { indent: number; key: string }[] = [];
  let pending: { description: string[]; default?: string } | undefined;
  let opaqueIndent: number | undefined;

  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length;
    const trimmed = line.trim();
    if (opaqueIndent !== undefined) {
      if (trimmed === '' || indent > opaqueIndent || (indent === opaqueIndent && trimmed.startsWith('- '))) continue;
      opaqueIndent = undefined;
    }
    if (trimmed === '') {
      pending = undefined;
      continue;
    }
    const doc = /^#\s--\s?(.*)$/.exec(trimmed);
    if (doc) {
      pending = { description: [doc[1] ?? ''] };
      continue;
    }
    const defaultOverride = /^#\s@default\s--\s?(.*)$/.exec(trimmed);
    if (defaultOverride && pending) {
      pending.default = defaultOverride[1] ?? '';
      continue;
    }
    if (trimmed.startsWith('#')) {
      if (pending && pending.default === undefined) pending.description.push(trimmed.replace(/^#\s?/, ''));
      continue;
    }
    const match = KEY_LINE.exec(line);
    if (!match) {
      pending = undefined;
      continue;
    }
    const key = unquote((match[2] ?? '').trim());
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const path = [...stack.map((s) => s.key), key];
    stack.push({ indent, key });
    const value = valueAt(values, path);
    if (pending) {
      rows.push({
        key: path.join('.'),
        type: typeOf(value),
        default: pending.default ?? `\`${sortedJson(value)}\``,
        description: pending.description.join(' ').trim(),
      });
      documented.push(path);
      pending = undefined;
    }
    if (Array.isArray(value)) opaqueIndent = indent;
  }

  const covered = (leaf: string[]): boolean => documented.some((doc) => doc.length <= leaf.length && doc.every((k, i) => leaf[i] === k));
  const undocumented = leaves(values).filter((leaf) => !covered(leaf)).map((leaf) => leaf.join('.'));
  // helm-docs' default order ("alphanum").
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows, undocumented };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function valuesTable(rows: readonly ValueDoc[]): string {
  const lines = ['| Key | Type | Default | Description |', '|-----|------|---------|-------------|'];
  for (const row of rows) lines.push(`| ${cell(row.key)} | ${row.type} | ${cell(row.default)} | ${cell(row.description)} |`);
  return lines.join('\n');
}

export const TABLE_START = '<!-- values-table:start (generated from values.yaml: npm run build -w deploy/chart-checks && npm run readme -w deploy/chart-checks) -->';
export const TABLE_END = '<!-- values-table:end -->';

/** The README with its table replaced by one generated from `valuesYaml`. */
export function renderReadme(readme: string, valuesYaml: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the chart README has no table markers (${TABLE_START} … ${TABLE_END})`);
  const table = valuesTable(parseValuesDocs(valuesYaml).rows);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`;
}
