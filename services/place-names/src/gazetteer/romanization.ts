import { pinyin } from 'pinyin-pro';

/**
 * Generic terms (通名) written as a separate word in the romanization of a place name
 * (《中国地名汉语拼音字母拼写规则》: the specific part is joined into one word, the generic part
 * follows as its own word), longest first so 街道 wins over 街.
 */
const GENERIC_TERMS = [
  '居民委员会', '村民委员会', '开发区', '工业园', '风景区', '自然保护区', '湿地公园', '社区', '街道', '小区', '花园', '广场', '大道', '公园',
  '水库', '大桥', '公路', '高速', '隧道', '车站', '码头', '新村', '路', '街', '巷', '道', '弄', '里', '镇', '乡', '村', '组', '区', '县',
  '市', '省', '山', '岭', '峰', '江', '河', '溪', '湖', '塘', '桥', '湾', '洲', '岛', '坪', '冲', '垅', '院', '苑', '园', '庄', '寨', '港',
].sort((a, b) => b.length - a.length);

const CJK = /\p{Script=Han}/u;

function syllablesOf(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed', v: true }).filter((s) => s.trim() !== '');
}

/** Joins syllables into one word; a syllable starting with a, o or e after another gets an apostrophe (Xi'an). */
function word(syllables: readonly string[]): string {
  const joined = syllables.map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s)).join('');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

/**
 * The romanization generated for a name, e.g. 东方华庭 → Dongfanghuating, 中心路街道 →
 * Zhongxinlu Jiedao, 西安路 → Xi'an Lu. Officers can edit it (polyphones the library reads
 * wrongly, customary spellings); the search keys are generated from the characters regardless.
 */
export function romanize(name: string): string {
  const trimmed = name.trim();
  const generic = GENERIC_TERMS.includes(trimmed) ? undefined : GENERIC_TERMS.find((term) => trimmed.endsWith(term) && trimmed.length > term.length);
  if (generic === undefined) return word(syllablesOf(trimmed));
  const specific = trimmed.slice(0, trimmed.length - generic.length);
  const specificWords = specific.split(/\s+/).filter((part) => part !== '');
  return [...specificWords.map((part) => word(syllablesOf(part))), word(syllablesOf(generic))].filter((w) => w !== '').join(' ');
}

/** Full-width to half-width, lower case, only letters (any script) and digits kept. */
export function normaliseForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface SearchKeys {
  /** The name as the search compares it: {@link normaliseForSearch}. */
  nameKey: string;
  /** Toneless pinyin run together: 东方华庭 → dongfanghuating. */
  pinyinKey: string;
  /** First letters: 东方华庭 → dfht. */
  initials: string;
  /** Overlapping character pairs of the normalised name: 东方华庭 → 东方 方华 华庭. */
  grams: string[];
}

export function bigramsOf(normalised: string): string[] {
  const characters = [...normalised];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < characters.length; i += 1) grams.add(`${characters[i]}${characters[i + 1]}`);
  return [...grams];
}

export function searchKeys(name: string): SearchKeys {
  const normalised = normaliseForSearch(name);
  const syllables = pinyin(normalised, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s !== '');
  return {
    nameKey: normalised,
    pinyinKey: syllables.join(''),
    initials: syllables.map((s) => (/^[a-z]/.test(s) ? s.charAt(0) : s)).join(''),
    grams: bigramsOf(normalised),
  };
}

/** True when the text contains at least one Chinese character. */
export function hasChinese(text: string): boolean {
  return CJK.test(text);
}
