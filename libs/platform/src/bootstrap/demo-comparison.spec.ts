import { comparisonRow, displayWidth, formatComparison, padColumns } from './demo-comparison';

describe('demo comparison table', () => {
  it('counts CJK characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('结婚登记')).toBe(8);
    expect(displayWidth('３９６９')).toBe(8);
    expect(padColumns('低保', 6)).toBe('低保  ');
    expect(padColumns('too long', 3)).toBe('too long ');
  });

  it('matches by the figures as written unless told otherwise', () => {
    expect(comparisonRow('marriages', 1753, '1753').matches).toBe(true);
    expect(comparisonRow('organisations', 133, 135).matches).toBe(false);
    expect(comparisonRow('activities', '20余', 24, true).matches).toBe(true);
  });

  it('aligns the columns and marks the rows that differ', () => {
    const table = formatComparison([comparisonRow('结婚登记', 1753, 1753), { ...comparisonRow('organisations', 133, 135), note: 'the seed is inconsistent' }]);
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => displayWidth(l.slice(0, l.indexOf('2023') >= 0 ? l.indexOf('2023') : l.search(/1753|133/))))).toEqual([15, 15, 15]);
    expect(lines[2]).toContain('← differs');
    expect(lines[2]).toContain('(the seed is inconsistent)');
    expect(lines[1]).not.toContain('differs');
  });
});
