import { REPORT_TEMPLATE_SECTIONS } from '@civil/contracts';
import { ALL_ELEMENTS } from '../projections/mappers';
import { SEED_TEMPLATES_2023 } from '../migrations/1764000052000-report-templates';
import { REPORT_ELEMENTS, parsePlaceholder, parseTemplate } from './placeholders';

describe('parsePlaceholder', () => {
  it('reads an element with its filters and format', () => {
    expect(parsePlaceholder('dibao.new.households')).toEqual({ kind: 'element', raw: 'dibao.new.households', code: 'dibao.new.households', filter: {}, format: { kind: 'integer' } });
    expect(parsePlaceholder('dibao.paid|urban|万元4')).toMatchObject({ kind: 'element', code: 'dibao.paid', filter: { urbanRural: 'urban' }, format: { kind: 'wan-yuan', decimals: 4 } });
    expect(parsePlaceholder('dibao.households|430503101000|rural')).toMatchObject({ filter: { urbanRural: 'rural', divisionCode: '430503101000' } });
    expect(parsePlaceholder('dibao.paid')).toMatchObject({ format: { kind: 'wan-yuan', decimals: 2 } });
  });

  it('reads per-capita levels, ratios, stated figures and the year', () => {
    expect(parsePlaceholder('perCapita:dibao.paid/dibao.person-months|urban|元2')).toMatchObject({
      kind: 'quotient',
      numerator: 'dibao.paid',
      denominator: 'dibao.person-months',
      perCapita: true,
      filter: { urbanRural: 'urban' },
      format: { kind: 'yuan', decimals: 2 },
    });
    expect(parsePlaceholder('ratio:certificates.accurate/certificates.issued|%0')).toMatchObject({ kind: 'quotient', perCapita: false, format: { kind: 'percent', decimals: 0 } });
    expect(parsePlaceholder('stated:budget.total|万元2')).toMatchObject({ kind: 'stated', code: 'budget.total', format: { kind: 'wan-yuan', decimals: 2 } });
    expect(parsePlaceholder('year')).toMatchObject({ kind: 'year' });
  });

  it.each([
    ['dibao.unknown', 'unknown data element “dibao.unknown”'],
    ['Dibao Paid', 'is not an element code'],
    ['dibao.households|万元2', 'does not fit a count'],
    ['dibao.paid|余100', 'does not fit an amount in fen'],
    ['dibao.paid|urban|rural', 'more than one urban/rural filter'],
    ['dibao.paid|万元2|万元4', 'more than one format'],
    ['dibao.paid|town', 'unknown option “town”'],
    ['stated:budget.everything', 'unknown stated figure'],
    ['stated:budget.total|urban', 'takes no filter'],
    ['perCapita:dibao.households/dibao.persons', 'perCapita needs an amount in fen'],
    ['perCapita:dibao.paid', 'needs numerator/denominator'],
    ['ratio:dibao.paid/tekun.paid', 'must be a count'],
    ['ratio:certificates.accurate/certificates.issued|元2', 'does not fit a ratio'],
    ['sum:dibao.paid', 'unknown kind “sum”'],
    ['year|万元2', 'takes no options'],
  ])('refuses {{%s}}: %s', (body, message) => {
    const parsed = parsePlaceholder(body);
    expect('message' in parsed && parsed.message).toContain(message);
  });
});

describe('parseTemplate', () => {
  it('splits text and placeholders', () => {
    const { segments, errors } = parseTemplate('新增{{dibao.new.households}}户，{{dibao.new.persons}}人');
    expect(errors).toEqual([]);
    expect(segments.map((s) => ('text' in s ? s.text : `[${s.placeholder.raw}]`))).toEqual(['新增', '[dibao.new.households]', '户，', '[dibao.new.persons]', '人']);
  });

  it('names every bad placeholder with its braces', () => {
    const { errors } = parseTemplate('甲{{dibao.typo}}乙{{dibao.paid|万元2}}丙{{organisations|万元2}}');
    expect(errors.map((e) => e.placeholder)).toEqual(['{{dibao.typo}}', '{{organisations|万元2}}']);
  });

  it('refuses unbalanced braces', () => {
    expect(parseTemplate('甲{{dibao.paid').errors[0]?.message).toBe('{{ without a closing }}');
    expect(parseTemplate('甲dibao.paid}}乙').errors[0]?.message).toBe('}} without a matching {{');
  });

  it('accepts every seeded 2023 template, one per section', () => {
    expect(SEED_TEMPLATES_2023.map(([s]) => s)).toEqual([...REPORT_TEMPLATE_SECTIONS]);
    for (const [section, text] of SEED_TEMPLATES_2023) expect({ section, errors: parseTemplate(text).errors }).toEqual({ section, errors: [] });
  });

  it('names only elements whose measure matches the projection catalogue where the catalogue has them', () => {
    // Elements still being implemented are not in the catalogue yet; those that are must agree on fen.
    for (const element of ALL_ELEMENTS) {
      const unit = REPORT_ELEMENTS[element.code];
      if (unit !== undefined) expect({ code: element.code, fen: unit === 'fen' }).toEqual({ code: element.code, fen: element.unit === 'fen' });
    }
  });
});
