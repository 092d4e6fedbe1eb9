import { defaultFormat, formatFits, parseFormat, type FigureFormat, type FigureSource } from './figure-format';

/**
 * The placeholder grammar of report templates. A placeholder is `{{` body `}}`:
 *
 *   body    = [kind ":"] expr *("|" option)
 *   kind    = "stated" | "perCapita" | "ratio"
 *   expr    = code                    an element (or, with `stated:`, a figure the bureau states)
 *           | code "/" code           perCapita: an amount per unit; ratio: a plain quotient
 *   option  = "urban" | "rural"       the element's urban/rural filter
 *           | twelve digits           a division (township) filter
 *           | format                  see figure-format.ts (万元4, 元2, 万余, 余100, %0 …)
 *
 * plus `{{year}}`, the report's year. Examples: `{{dibao.new.households}}`,
 * `{{dibao.paid|urban|万元4}}`, `{{perCapita:dibao.paid/dibao.person-months|urban|元2}}` (paid fen
 * per person-month, shown in 元), `{{ratio:certificates.accurate/certificates.issued|%0}}`,
 * `{{stated:budget.total|万元2}}` (from the budget, not computed), `{{charity.funds|万余}}`.
 * A template with any placeholder that does not parse, names an unknown element or uses a format
 * that does not fit its value is refused when saved, naming the placeholder.
 */

/** The data elements a report may name, with what their values measure. */
export const REPORT_ELEMENTS: Readonly<Record<string, 'fen' | 'count'>> = {
  'dibao.new.households': 'count',
  'dibao.new.persons': 'count',
  'dibao.stopped.households': 'count',
  'dibao.stopped.persons': 'count',
  'dibao.households': 'count',
  'dibao.persons': 'count',
  'dibao.paid': 'fen',
  'dibao.person-months': 'count',
  'tekun.paid': 'fen',
  'tekun.persons': 'count',
  'tekun.persons.centralized': 'count',
  'tekun.persons.dispersed': 'count',
  'temporary.person-times': 'count',
  'temporary.paid': 'fen',
  'charity.funds': 'fen',
  'charity.households-visited': 'count',
  'charity.activities': 'count',
  'charity.goods-value': 'fen',
  'charity.persons-served': 'count',
  'marriage.registrations': 'count',
  'divorce.registrations': 'count',
  'certificates.issued': 'count',
  'certificates.accurate': 'count',
  organisations: 'count',
  'organisations.social-groups': 'count',
  'organisations.private-non-enterprise': 'count',
  'allowance.orphan.paid': 'fen',
  'allowance.de-facto-unsupported.paid': 'fen',
  'allowance.disability-living.paid': 'fen',
  'allowance.disability-care.paid': 'fen',
  'social-work.activities': 'count',
  institutions: 'count',
  'institutions.public': 'count',
  'institutions.private': 'count',
  'home-adaptation.completed': 'count',
  'home-adaptation.subsidy': 'fen',
  'age-allowance.high-age.paid': 'fen',
  'age-allowance.longevity.paid': 'fen',
  'place-names.renamed': 'count',
  'place-names.audit.five-classes': 'count',
  'place-names.audit.other': 'count',
};

/** Figures the bureau states rather than the platform computes: from the year's budget. */
export const STATED_FIGURES: Readonly<Record<string, FigureSource>> = {
  'budget.total': 'fen',
  'budget.basic': 'fen',
  'budget.project': 'fen',
  'budget.completion-rate': 'ratio',
  'budget.control-rate': 'ratio',
};

export interface ElementFilter {
  urbanRural?: 'urban' | 'rural';
  divisionCode?: string;
}

export type Placeholder =
  | { kind: 'year'; raw: string; format: FigureFormat }
  | { kind: 'element'; raw: string; code: string; filter: ElementFilter; format: FigureFormat }
  | { kind: 'quotient'; raw: string; numerator: string; denominator: string; perCapita: boolean; filter: ElementFilter; format: FigureFormat }
  | { kind: 'stated'; raw: string; code: string; format: FigureFormat };

export type TemplateSegment = { text: string } | { placeholder: Placeholder };

export interface PlaceholderError {
  /** The placeholder as written, with its braces. */
  placeholder: string;
  message: string;
}

export interface ParsedTemplate {
  segments: TemplateSegment[];
  errors: PlaceholderError[];
}

/** Splits a template into text and placeholders, collecting every error instead of stopping at the first. */
export function parseTemplate(template: string): ParsedTemplate {
  const segments: TemplateSegment[] = [];
  const errors: PlaceholderError[] = [];
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    const strayClose = template.indexOf('}}', at);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      errors.push({ placeholder: template.slice(Math.max(at, strayClose - 20), strayClose + 2), message: '}} without a matching {{' });
    }
    if (open === -1) {
      segments.push({ text: template.slice(at) });
      break;
    }
    if (open > at) segments.push({ text: template.slice(at, open) });
    const close = template.indexOf('}}', open + 2);
    if (close === -1) {
      errors.push({ placeholder: template.slice(open, open + 40), message: '{{ without a closing }}' });
      break;
    }
    const raw = template.slice(open, close + 2);
    const parsed = parsePlaceholder(template.slice(open + 2, close));
    if ('message' in parsed) errors.push({ placeholder: raw, message: parsed.message });
    else segments.push({ placeholder: parsed });
    at = close + 2;
  }
  return { segments, errors };
}

const CODE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

export function parsePlaceholder(body: string): Placeholder | { message: string } {
  const raw = body;
  const [head = '', ...options] = body.split('|').map((part) => part.trim());
  const colon = head.indexOf(':');
  const kind = colon === -1 ? null : head.slice(0, colon);
  const expr = colon === -1 ? head : head.slice(colon + 1);

  const filter: ElementFilter = {};
  let format: FigureFormat | null = null;
  for (const option of options) {
    if (option === 'urban' || option === 'rural') {
      if (filter.urbanRural !== undefined) return { message: 'more than one urban/rural filter' };
      filter.urbanRural = option;
    } else if (/^\d{12}$/.test(option)) {
      if (filter.divisionCode !== undefined) return { message: 'more than one division filter' };
      filter.divisionCode = option;
    } else {
      const parsed = parseFormat(option);
      if (parsed === null) return { message: `unknown option “${option}”: a filter (urban, rural, a twelve-digit division code) or a format (万元N, 万元, 元N, 万余N, 余S, %N)` };
      if (format !== null) return { message: 'more than one format' };
      format = parsed;
    }
  }
  const hasFilter = filter.urbanRural !== undefined || filter.divisionCode !== undefined;
  const checked = (source: FigureSource, perCapita: boolean): FigureFormat | { message: string } => {
    const chosen = format ?? defaultFormat(source, perCapita);
    return formatFits(chosen, source) ? chosen : { message: `the format does not fit ${source === 'fen' ? 'an amount in fen' : source === 'count' ? 'a count' : 'a ratio'}` };
  };

  if (kind === null && expr === 'year') {
    if (options.length > 0) return { message: 'year takes no options' };
    return { kind: 'year', raw, format: { kind: 'integer' } };
  }
  if (kind === 'stated') {
    const source = STATED_FIGURES[expr];
    if (source === undefined) return { message: `unknown stated figure “${expr}” (known: ${Object.keys(STATED_FIGURES).join(', ')})` };
    if (hasFilter) return { message: 'a stated figure takes no filter' };
    const f = checked(source, false);
    return 'message' in f ? f : { kind: 'stated', raw, code: expr, format: f };
  }
  if (kind === 'perCapita' || kind === 'ratio') {
    const [numerator = '', denominator, extra] = expr.split('/');
    if (denominator === undefined || extra !== undefined) return { message: `${kind} needs numerator/denominator` };
    for (const code of [numerator, denominator]) {
      if (REPORT_ELEMENTS[code] === undefined) return { message: `unknown data element “${code}”` };
    }
    if (kind === 'perCapita' && REPORT_ELEMENTS[numerator] !== 'fen') return { message: 'perCapita needs an amount in fen over a count' };
    if (REPORT_ELEMENTS[denominator] !== 'count') return { message: `the denominator “${denominator}” must be a count` };
    const f = checked(kind === 'perCapita' ? 'fen' : 'ratio', kind === 'perCapita');
    return 'message' in f ? f : { kind: 'quotient', raw, numerator, denominator, perCapita: kind === 'perCapita', filter, format: f };
  }
  if (kind !== null) return { message: `unknown kind “${kind}” (stated, perCapita, ratio)` };
  if (!CODE.test(expr)) return { message: `“${expr}” is not an element code` };
  const source = REPORT_ELEMENTS[expr];
  if (source === undefined) return { message: `unknown data element “${expr}”` };
  const f = checked(source, false);
  return 'message' in f ? f : { kind: 'element', raw, code: expr, filter, format: f };
}
