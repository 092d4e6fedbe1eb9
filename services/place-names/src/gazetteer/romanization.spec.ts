import { bigramsOf, hasChinese, normaliseForSearch, romanize, searchKeys } from './romanization';

describe('romanize', () => {
  it.each([
    ['东方华庭', 'Dongfanghuating'],
    ['文庭雅苑', 'Wentingya Yuan'],
    ['中心路街道', 'Zhongxinlu Jiedao'],
    ['罗市镇', 'Luoshi Zhen'],
    ['西安路', "Xi'an Lu"],
    ['重庆路', 'Chongqing Lu'],
    ['大祥区', 'Daxiang Qu'],
  ])('%s → %s (specific part joined, generic part a word of its own, apostrophe before a/o/e)', (name, expected) => {
    expect(romanize(name)).toBe(expected);
  });

  it('never splits a name that is only a generic term', () => {
    expect(romanize('公园')).toBe('Gongyuan');
  });
});

describe('search keys', () => {
  it('gives toneless pinyin, initials and bigrams of the normalised name', () => {
    expect(searchKeys('东方华庭')).toEqual({ nameKey: '东方华庭', pinyinKey: 'dongfanghuating', initials: 'dfht', grams: ['东方', '方华', '华庭'] });
  });

  it('keeps Latin letters and digits as they are, in lower case', () => {
    expect(searchKeys('Ａ区２栋')).toEqual({ nameKey: 'a区2栋', pinyinKey: 'aqu2dong', initials: 'aq2d', grams: ['a区', '区2', '2栋'] });
  });

  it('normalises full-width forms, case and symbols away', () => {
    expect(normaliseForSearch(' 东方-华庭（ＡＢ）! ')).toBe('东方华庭ab');
    expect(normaliseForSearch('%_\\\'";--')).toBe('');
  });

  it('builds no bigram from a single character and no duplicate bigrams', () => {
    expect(bigramsOf('路')).toEqual([]);
    expect(bigramsOf('哈哈哈')).toEqual(['哈哈']);
  });

  it('tells Chinese text from other scripts', () => {
    expect(hasChinese('abc东')).toBe(true);
    expect(hasChinese('Дом abc 123')).toBe(false);
  });
});
