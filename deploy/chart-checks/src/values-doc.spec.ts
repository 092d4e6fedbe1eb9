import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR } from './helm';
import { parseValuesDocs, renderReadme, TABLE_END, TABLE_START } from './values-doc';

const valuesYaml = readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8');
const readme = readFileSync(path.join(CHART_DIR, 'README.md'), 'utf8');

describe('values.schema.json', () => {
  interface Schema {
    $ref?: string;
    type?: string;
    properties?: Record<string, Schema>;
    required?: string[];
    additionalProperties?: boolean | Schema;
    patternProperties?: Record<string, Schema>;
    definitions?: Record<string, Schema>;
  }
  const root = JSON.parse(readFileSync(path.join(CHART_DIR, 'values.schema.json'), 'utf8')) as Schema;
  const resolve = (schema: Schema): Schema => (schema.$ref ? (root.definitions?.[schema.$ref.replace('#/definitions/', '')] ?? {}) : schema);

  it('closes every object (additionalProperties: false), so an unknown key is refused', () => {
    const open: string[] = [];
    const walk = (schema: Schema, where: string): void => {
      const s = resolve(schema);
      if (s.type === 'object' || s.properties) {
        if (s.additionalProperties !== false && typeof s.additionalProperties !== 'object') open.push(where);
        for (const [key, child] of Object.entries(s.properties ?? {})) walk(child, `${where}.${key}`);
        for (const child of Object.values(s.patternProperties ?? {})) walk(child, `${where}.<pattern>`);
      }
    };
    walk(root, 'values');
    for (const [name, definition] of Object.entries(root.definitions ?? {})) walk(definition, `#/definitions/${name}`);
    expect(open).toEqual([]);
  });

  it('describes no value that values.yaml does not have', () => {
    const values: unknown = parse(valuesYaml);
    const extra: string[] = [];
    const walk = (schema: Schema, value: unknown, where: string): void => {
      const s = resolve(schema);
      if (!s.properties || value === null || typeof value !== 'object') return;
      for (const [key, child] of Object.entries(s.properties)) {
        if (!(key in value)) extra.push(`${where}${key}`);
        else walk(child, (value as Record<string, unknown>)[key], `${where}${key}.`);
      }
    };
    walk(root, values, '');
    expect(extra.filter((key) => !/\.(requests|limits)\.|matchExpressions|ipBlock/.test(key))).toEqual([]);
  });
});

describe('the chart README parameter table', () => {
  it('documents every value of values.yaml', () => {
    expect(parseValuesDocs(valuesYaml).undocumented).toEqual([]);
  });

  it('is in sync with values.yaml (regenerate: npm run build -w deploy/chart-checks && npm run readme -w deploy/chart-checks)', () => {
    expect(renderReadme(readme, valuesYaml)).toBe(readme);
  });

  it('notices a value whose description, default or key changed', () => {
    const changedDefault = valuesYaml.replace('containerPort: 8080', 'containerPort: 8081');
    expect(renderReadme(readme, changedDefault)).not.toBe(readme);
    const changedText = valuesYaml.replace('# -- Image pull policy.', '# -- How the image is pulled.');
    expect(renderReadme(readme, changedText)).not.toBe(readme);
    const undocumented = valuesYaml.replace('logLevel: info', 'logLevel: info\nlogFormat: json');
    expect(parseValuesDocs(undocumented).undocumented).toEqual(['logFormat']);
  });

  it('reads helm-docs comments: nested keys, @default, lists and maps documented as a whole', () => {
    const docs = parseValuesDocs(
      [
        'image:',
        '  # -- The tag.',
        '  # @default -- the appVersion',
        '  tag: ""',
        '# -- Peers,',
        '# on two lines.',
        'peers:',
        '  - podSelector:',
        '      matchLabels:',
        '        app: x',
        'after:',
        '  # -- A map.',
        '  labels: {z: y, a: b}',
      ].join('\n'),
    );
    expect(docs.rows).toEqual([
      { key: 'after.labels', type: 'object', default: '`{"a":"b","z":"y"}`', description: 'A map.' },
      { key: 'image.tag', type: 'string', default: 'the appVersion', description: 'The tag.' },
      { key: 'peers', type: 'list', default: '`[{"podSelector":{"matchLabels":{"app":"x"}}}]`', description: 'Peers, on two lines.' },
    ]);
    expect(docs.undocumented).toEqual([]);
    expect(readme).toContain(TABLE_START);
    expect(readme).toContain(TABLE_END);
  });
});
