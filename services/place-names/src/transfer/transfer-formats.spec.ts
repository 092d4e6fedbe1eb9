import { createPlaceNameSchema } from '@civil/contracts';
import { GEOJSON_CLOSE, GEOJSON_OPEN, csvHeader, csvRecord, formatAliases, geoJsonFeature, parseAliases, readCsv, readGeoJson, type ExportRecord } from './transfer-formats';

const HEADER = 'name,category,type,divisionCode,pinyin,locationDescription,longitude,latitude,approvingAuthority,approvalDate,origin,aliases';

const record: ExportRecord = {
  id: '01900000-0000-7000-8000-000000000001',
  name: '东方华庭',
  category: 'residential-area-or-building',
  type: '小区',
  divisionCode: '430503004000',
  pinyin: 'Dongfanghuating',
  locationDescription: '位于"城南", 紫薇路\n北侧',
  longitude: 111.46,
  latitude: 27.2,
  approvingAuthority: '大祥区人民政府',
  approvalDate: '2019-05-01',
  origin: null,
  aliases: [
    { name: '东方威尼斯小区', status: 'former', validFrom: null, validTo: '2019-05-01' },
    { name: '东方', status: 'abbreviation', validFrom: null, validTo: null },
  ],
};

describe('CSV rows', () => {
  it('maps cells to the create schema: empty cells left out, coordinates as numbers, aliases parsed', () => {
    const file = readCsv(`${HEADER}\n东方华庭,residential-area-or-building,小区,430503004,,,111.46,27.2,,2019-05-01,,former:东方威尼斯小区@~2019-05-01|colloquial:威尼斯\n`);
    expect(file.errors).toEqual([]);
    expect(file.rows).toEqual([
      {
        row: 1,
        errors: [],
        fields: {
          name: '东方华庭',
          category: 'residential-area-or-building',
          type: '小区',
          divisionCode: '430503004',
          longitude: 111.46,
          latitude: 27.2,
          approvalDate: '2019-05-01',
          aliases: [
            { name: '东方威尼斯小区', status: 'former', validTo: '2019-05-01' },
            { name: '威尼斯', status: 'colloquial' },
          ],
        },
      },
    ]);
    expect(createPlaceNameSchema.safeParse(file.rows[0]?.fields).success).toBe(true);
  });

  it('takes the columns in any order, only the required ones needed; a BOM and blank rows are ignored, rows still counted', () => {
    const file = readCsv('\uFEFFdivisionCode,name,category\r\n430503004,雨溪路,street-road-lane\r\n,,\r\n430503004,紫薇路,street-road-lane\r\n');
    expect(file.errors).toEqual([]);
    expect(file.rows.map((r) => [r.row, r.fields.name])).toEqual([
      [1, '雨溪路'],
      [3, '紫薇路'],
    ]);
  });

  it('reports header problems as file errors (row 0): unknown, duplicate and missing columns', () => {
    const file = readCsv('name,Category,name,divisionCode\n雨溪路,x,y,430503\n');
    expect(file.rows).toEqual([]);
    expect(file.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [0, 'Category', 'unknown-column'],
      [0, 'name', 'duplicate-column'],
      [0, 'category', 'missing-column'],
    ]);
  });

  it('reports CSV syntax errors, bad numbers, bad aliases and extra cells', () => {
    expect(readCsv('name,category\n"unclosed,other\n').errors[0]).toMatchObject({ row: 0, field: '(file)', rule: 'csv-syntax' });
    const file = readCsv('name,category,divisionCode,longitude,latitude,aliases\n雨溪路,street-road-lane,430503,东经111,27.2,旧名|former:老街,extra\n');
    expect(file.rows[0]?.errors.map((e) => [e.row, e.field, e.rule])).toEqual([
      [1, '(row)', 'column-count'],
      [1, 'longitude', 'number'],
      [1, 'aliases[0]', 'alias-syntax'],
    ]);
    expect(file.rows[0]?.fields.aliases).toEqual([{ name: '老街', status: 'former' }]);
  });

  it('writes RFC 4180 records that read back to the same fields', () => {
    const text = csvHeader() + csvRecord(record);
    expect(text.split('\r\n')[0]).toBe(HEADER);
    expect(text).toContain('"位于""城南"", 紫薇路\n北侧"');
    const [row] = readCsv(text).rows;
    expect(row?.errors).toEqual([]);
    expect(row?.fields).toEqual({
      name: '东方华庭',
      category: 'residential-area-or-building',
      type: '小区',
      divisionCode: '430503004000',
      pinyin: 'Dongfanghuating',
      locationDescription: '位于"城南", 紫薇路\n北侧',
      longitude: 111.46,
      latitude: 27.2,
      approvingAuthority: '大祥区人民政府',
      approvalDate: '2019-05-01',
      aliases: [
        { name: '东方威尼斯小区', status: 'former', validTo: '2019-05-01' },
        { name: '东方', status: 'abbreviation' },
      ],
    });
  });
});

describe('aliases', () => {
  it('round-trip through the text form, with dates on either side', () => {
    const aliases = [
      { name: '老街', status: 'former' as const, validFrom: '1990-01-01', validTo: '2005-06-30' },
      { name: '老街口', status: 'colloquial' as const, validFrom: null, validTo: null },
    ];
    expect(formatAliases(aliases)).toBe('former:老街@1990-01-01~2005-06-30|colloquial:老街口');
    expect(parseAliases(formatAliases(aliases), 1).aliases).toEqual([
      { name: '老街', status: 'former', validFrom: '1990-01-01', validTo: '2005-06-30' },
      { name: '老街口', status: 'colloquial' },
    ]);
  });

  it('accept a full-width colon and spaces; refuse an unknown status', () => {
    expect(parseAliases(' colloquial： 老街 | | ', 2)).toEqual({ aliases: [{ name: '老街', status: 'colloquial' }], errors: [] });
    expect(parseAliases('standard:老街', 2).errors).toEqual([expect.objectContaining({ row: 2, field: 'aliases[0]', rule: 'alias-syntax' })]);
  });
});

describe('GeoJSON features', () => {
  it('take the coordinates from a Point geometry and the rest from the properties; null geometry means none', () => {
    const file = readGeoJson(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [111.46, 27.2] }, properties: { name: '雨溪桥', category: 'infrastructure', divisionCode: '430503', aliases: 'former:旧桥' } },
          { type: 'Feature', geometry: null, properties: { name: '雨溪路', category: 'street-road-lane', divisionCode: '430503', type: null, aliases: [{ name: '老路', status: 'former' }] } },
        ],
      }),
    );
    expect(file.errors).toEqual([]);
    expect(file.rows).toEqual([
      { row: 1, errors: [], fields: { name: '雨溪桥', category: 'infrastructure', divisionCode: '430503', longitude: 111.46, latitude: 27.2, aliases: [{ name: '旧桥', status: 'former' }] } },
      { row: 2, errors: [], fields: { name: '雨溪路', category: 'street-road-lane', divisionCode: '430503', aliases: [{ name: '老路', status: 'former' }] } },
    ]);
  });

  it('report a file that is not a FeatureCollection, and features that are not Point features, by their position from 1', () => {
    expect(readGeoJson('{').errors[0]).toMatchObject({ row: 0, rule: 'json' });
    expect(readGeoJson('{"type":"Feature"}').errors[0]).toMatchObject({ row: 0, rule: 'feature-collection' });
    const file = readGeoJson(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, properties: { name: '雨溪路' } },
          { type: 'Point', coordinates: [1, 2] },
          { type: 'Feature', geometry: null, properties: null },
        ],
      }),
    );
    expect(file.rows.map((r) => r.errors.map((e) => [e.row, e.field, e.rule]))).toEqual([[[1, 'geometry', 'point']], [[2, 'type', 'feature']], [[3, 'properties', 'object']]]);
  });

  it('write features that read back to the same fields', () => {
    const text = `${GEOJSON_OPEN}${geoJsonFeature(record)},\n${geoJsonFeature({ ...record, id: 'x', name: '无坐标', longitude: null, latitude: null, aliases: [] })}${GEOJSON_CLOSE}`;
    const parsed = JSON.parse(text) as { features: { id: string; geometry: unknown }[] };
    expect(parsed.features.map((f) => [f.id, f.geometry])).toEqual([
      [record.id, { type: 'Point', coordinates: [111.46, 27.2] }],
      ['x', null],
    ]);
    const file = readGeoJson(text);
    expect(file.rows[0]?.fields).toEqual(readCsv(csvHeader() + csvRecord(record)).rows[0]?.fields);
    expect(file.rows[1]?.fields).not.toHaveProperty('longitude');
  });
});
