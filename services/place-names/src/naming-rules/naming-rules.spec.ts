import { FORBIDDEN_WORDS, FOREIGN_WORDS } from '../migrations/1764000042000-naming';
import { searchKeys } from '../gazetteer/romanization';
import { checkNameRules, scopeDigits, scopePattern, type RuleWord, type ScopeName } from './naming-rules';

/** The seeded word lists, as the service reads them. */
const WORDS: RuleWord[] = [
  ...FORBIDDEN_WORDS.map(([word]) => ({ word, kind: 'forbidden' as const })),
  ...FOREIGN_WORDS.map(([word]) => ({ word, kind: 'foreign' as const })),
];

const scopeName = (name: string, placeNameId = 'p-1'): ScopeName => {
  const keys = searchKeys(name);
  return { placeNameId, name, divisionCode: '430503001000', nameKey: keys.nameKey, pinyinKey: keys.pinyinKey };
};

function check(name: string, scope: ScopeName[] = [], category: Parameters<typeof checkNameRules>[0]['category'] = 'residential-area-or-building') {
  return checkNameRules({ name, category }, WORDS, scope);
}
const rulesOf = (name: string, scope: ScopeName[] = []): string[] => check(name, scope).findings.map((f) => f.rule);

describe('naming rules', () => {
  it.each(['东方华庭', '文庭雅苑', '幸福路', '雨溪街道', '阿依·古丽巷'])('%s passes every rule', (name) => {
    expect(check(name)).toEqual({ name, passes: true, findings: [] });
  });

  describe('forbidden-word', () => {
    it.each([
      ['中华路', '中华'],
      ['帝王花园', '帝'],
      ['环球中心', '环球'],
      ['帝豪名苑', '帝豪'],
    ])('%s is refused for %s', (name, word) => {
      const result = check(name);
      expect(result.passes).toBe(false);
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'forbidden-word', severity: 'error', evidence: { text: word } })]);
    });
    it('passes a name with none of the words', () => expect(rulesOf('和平路')).toEqual([]));
    it('reads the configured list, not a built-in one', () => {
      expect(checkNameRules({ name: '中华路', category: 'street-road-lane' }, [], []).passes).toBe(true);
      expect(checkNameRules({ name: '和平路', category: 'street-road-lane' }, [{ word: '和平', kind: 'forbidden' }], []).passes).toBe(false);
    });
  });

  describe('foreign-word', () => {
    it.each([
      ['东方威尼斯小区', '威尼斯'],
      ['大顺米兰豪苑', '米兰'],
      ['曼哈顿广场', '曼哈顿'],
    ])('%s is refused for %s', (name, word) => {
      const result = check(name);
      expect(result.passes).toBe(false);
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'foreign-word', severity: 'error', evidence: { text: word } })]);
    });
    it('passes the names they were renamed to', () => {
      expect(check('东方华庭').passes).toBe(true);
      expect(check('文庭雅苑').passes).toBe(true);
    });
  });

  describe('latin-letters', () => {
    it.each(['A区花园', 'Ａ区花园', 'xingfu路'])('%s is refused', (name) => {
      expect(rulesOf(name)).toEqual(['latin-letters']);
      expect(check(name).passes).toBe(false);
    });
    it('passes a name in characters', () => expect(rulesOf('甲区花园')).toEqual([]));
  });

  describe('digits-symbols-pinyin-mix', () => {
    it.each([
      ['幸福3号路', '3'],
      ['幸福３号路', '3'],
      ['幸福-路', '-'],
      ['幸福 路', ' '],
      ['幸福路#', '#'],
    ])('%s is refused (%s)', (name, text) => {
      const result = check(name);
      expect(result.passes).toBe(false);
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'digits-symbols-pinyin-mix', severity: 'error', evidence: { text } })]);
    });
    it('passes numbers in characters and the middle dot', () => {
      expect(rulesOf('幸福三号路')).toEqual([]);
      expect(rulesOf('阿依·古丽巷')).toEqual([]);
    });
    it('lists letters, digits and symbols each once in a mix', () => {
      expect(rulesOf('A3-幸福')).toEqual(['latin-letters', 'digits-symbols-pinyin-mix', 'digits-symbols-pinyin-mix']);
    });
  });

  describe('length', () => {
    it('refuses a single character', () => expect(check('苑')).toMatchObject({ passes: false, findings: [{ rule: 'too-short', severity: 'error' }] }));
    it('refuses more than 20 characters', () => {
      expect(check('一二三四五六七八九十一二三四五六七八九十一路')).toMatchObject({ passes: false, findings: [{ rule: 'too-long', severity: 'error' }] });
    });
    it('warns above 15 characters but passes', () => {
      expect(check('一二三四五六七八九十一二三四五六路')).toMatchObject({ passes: true, findings: [{ rule: 'long-name', severity: 'warning' }] });
      expect(rulesOf('一二三四五六七八九十一二三四路')).toEqual([]);
    });
  });

  describe('duplicate-in-scope and homophone-in-scope', () => {
    it('refuses a name already standard in the scope, normalised', () => {
      const result = check('幸福路', [scopeName('幸福路', 'p-9')], 'street-road-lane');
      expect(result.passes).toBe(false);
      expect(result.findings).toEqual([
        expect.objectContaining({ rule: 'duplicate-in-scope', severity: 'error', evidence: { placeNameId: 'p-9', name: '幸福路', divisionCode: '430503001000' } }),
      ]);
    });
    it('warns of a homophone with other characters', () => {
      expect(check('福星路', [scopeName('富星路')], 'street-road-lane')).toMatchObject({
        passes: true,
        findings: [{ rule: 'homophone-in-scope', severity: 'warning', evidence: { name: '富星路' } }],
      });
      expect(check('兴福路', [scopeName('幸福路')], 'street-road-lane').findings.map((f) => f.rule)).toEqual(['homophone-in-scope']);
    });
    it('passes when nothing in the scope sounds alike', () => expect(rulesOf('和平路', [scopeName('幸福路')])).toEqual([]));
  });

  it('scopes streets, villages and residential areas to the township, the rest to the county', () => {
    expect(scopeDigits('street-road-lane')).toBe(9);
    expect(scopeDigits('committee-seat')).toBe(9);
    expect(scopeDigits('residential-area-or-building')).toBe(9);
    expect(scopeDigits('administrative-division')).toBe(6);
    expect(scopeDigits('natural-feature')).toBe(6);
    expect(scopePattern('street-road-lane', '430503001002')).toBe('430503001%');
    expect(scopePattern('administrative-division', '430503101000')).toBe('430503%');
  });
});
