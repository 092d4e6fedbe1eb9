import type { NamingCheckResult, NamingFinding, PlaceNameCategory, RuleWordKind } from '@civil/contracts';
import { searchKeys } from '../gazetteer/romanization';

/**
 * The naming rules (地名管理条例 2022 and its 实施细则) as a pure function of the name, its
 * scope's existing standard names and the word lists, so every rule is unit-tested without a
 * database. Errors block a proposal; warnings are shown and kept.
 *
 * Length: at least {@link MIN_LENGTH} characters (error), at most {@link MAX_LENGTH} (error), and
 * more than {@link LONG_NAME} draws a warning: long names are hard to use on signs and in addresses.
 */
export const MIN_LENGTH = 2;
export const MAX_LENGTH = 20;
export const LONG_NAME = 15;

/** A word of the configurable lists, as read at check time. */
export interface RuleWord {
  word: string;
  kind: RuleWordKind;
}

/** A standard name in use within the proposed name's scope. */
export interface ScopeName {
  placeNameId: string;
  name: string;
  divisionCode: string;
  nameKey: string;
  pinyinKey: string;
}

export interface NameToCheck {
  name: string;
  category: PlaceNameCategory;
}

/**
 * How many leading digits of the division code make the duplicate scope:
 * township-level names within the county (6); streets, roads and lanes, village and community
 * committee seats and residential areas within the township or street (9); everything else
 * within the county (6). Names are compared within the same category.
 */
export function scopeDigits(category: PlaceNameCategory): 6 | 9 {
  switch (category) {
    case 'street-road-lane':
    case 'committee-seat':
    case 'residential-area-or-building':
      return 9;
    case 'administrative-division':
    case 'natural-feature':
    case 'park-or-protected-area':
    case 'infrastructure':
    case 'other':
      return 6;
  }
}

/** `LIKE` pattern of the duplicate scope: street 430503001000 → 430503001%. */
export function scopePattern(category: PlaceNameCategory, divisionCode: string): string {
  return `${divisionCode.slice(0, scopeDigits(category))}%`;
}

const LATIN = /\p{Script=Latin}/gu;
const DIGIT = /\p{Nd}/gu;
const HAN = /\p{Script=Han}/u;
/** The only symbol allowed in a name: the middle dot of transcribed minority-language names. */
const MIDDLE_DOT = '·';

function unique(characters: Iterable<string>): string[] {
  return [...new Set(characters)];
}

/** Words of one kind found in the name, without those contained in a longer word also found (帝豪 over 帝). */
function wordsIn(name: string, words: readonly RuleWord[], kind: RuleWordKind): string[] {
  const found = unique(words.filter((w) => w.kind === kind && w.word !== '' && name.includes(w.word)).map((w) => w.word));
  return found.filter((word) => !found.some((other) => other !== word && other.includes(word))).sort((a, b) => name.indexOf(a) - name.indexOf(b));
}

export function checkNameRules(input: NameToCheck, words: readonly RuleWord[], scope: readonly ScopeName[]): NamingCheckResult {
  const name = input.name.trim().normalize('NFKC');
  const findings: NamingFinding[] = [];
  const characters = [...name];

  if (characters.length < MIN_LENGTH) {
    findings.push({ rule: 'too-short', severity: 'error', message: `a name has at least ${MIN_LENGTH} characters`, evidence: { text: name } });
  } else if (characters.length > MAX_LENGTH) {
    findings.push({ rule: 'too-long', severity: 'error', message: `a name has at most ${MAX_LENGTH} characters, this one has ${characters.length}` });
  } else if (characters.length > LONG_NAME) {
    findings.push({ rule: 'long-name', severity: 'warning', message: `names longer than ${LONG_NAME} characters are hard to use on signs and in addresses (${characters.length})` });
  }

  for (const word of wordsIn(name, words, 'forbidden')) {
    findings.push({ rule: 'forbidden-word', severity: 'error', message: `"${word}" exaggerates or claims a status a place name may not (大、洋、怪、重)`, evidence: { text: word } });
  }
  for (const word of wordsIn(name, words, 'foreign')) {
    findings.push({ rule: 'foreign-word', severity: 'error', message: `"${word}" is a foreign place name or word`, evidence: { text: word } });
  }

  const latin = unique(name.match(LATIN) ?? []);
  if (latin.length > 0) {
    findings.push({ rule: 'latin-letters', severity: 'error', message: 'a name is written in Chinese characters: no Latin letters or pinyin', evidence: { text: latin.join('') } });
  }
  const digits = unique(name.match(DIGIT) ?? []);
  if (digits.length > 0) {
    findings.push({
      rule: 'digits-symbols-pinyin-mix',
      severity: 'error',
      message: 'a standard name has no digits (write numbers in Chinese characters, house numbers are not part of the name)',
      evidence: { text: digits.join('') },
    });
  }
  const symbols = unique(characters.filter((c) => !HAN.test(c) && !/\p{Script=Latin}|\p{Nd}/u.test(c) && c !== MIDDLE_DOT));
  if (symbols.length > 0) {
    findings.push({
      rule: 'digits-symbols-pinyin-mix',
      severity: 'error',
      message: `a name has no symbols or spaces other than the middle dot ${MIDDLE_DOT}`,
      evidence: { text: symbols.join('') },
    });
  }

  const keys = searchKeys(name);
  for (const other of scope) {
    if (other.nameKey === keys.nameKey) {
      findings.push({
        rule: 'duplicate-in-scope',
        severity: 'error',
        message: `"${other.name}" is already a standard name in this ${scopeDigits(input.category) === 9 ? 'township or street' : 'county'}`,
        evidence: { placeNameId: other.placeNameId, name: other.name, divisionCode: other.divisionCode },
      });
    } else if (keys.pinyinKey !== '' && other.pinyinKey === keys.pinyinKey) {
      findings.push({
        rule: 'homophone-in-scope',
        severity: 'warning',
        message: `"${other.name}" sounds the same (${keys.pinyinKey}) in this ${scopeDigits(input.category) === 9 ? 'township or street' : 'county'}`,
        evidence: { placeNameId: other.placeNameId, name: other.name, divisionCode: other.divisionCode },
      });
    }
  }

  return { name: input.name.trim(), passes: findings.every((f) => f.severity !== 'error'), findings };
}

/** The findings that block, as field errors of `name` for a DomainError. */
export function blockingFindings(result: NamingCheckResult): NamingFinding[] {
  return result.findings.filter((f) => f.severity === 'error');
}
