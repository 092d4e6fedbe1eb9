import { buildResidentId } from '@civil/domain-kernel';
import { maskPersonalData, maskPhone, maskResidentId, maskText } from './masking';

const ID = buildResidentId('430503', '1990-01-01', 123).value;
const ID_X = (() => {
  for (let sequence = 1; ; sequence++) {
    const id = buildResidentId('430503', '1985-06-30', sequence).value;
    if (id.endsWith('X')) return id;
  }
})();

describe('masking personal data', () => {
  it('keeps the region and the last four characters of a resident ID', () => {
    expect(maskResidentId(ID)).toBe(`${ID.slice(0, 6)}********${ID.slice(14)}`);
    expect(maskResidentId(ID_X)).toMatch(/^430503\*{8}\d{3}X$/);
  });

  it('keeps the first three and last four digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0739-5201234')).toBe('073****1234');
    expect(maskPhone('+86 138 1234 5678')).toBe('861******5678');
    expect(maskPhone('12345')).toBe('*****');
  });

  it('masks resident IDs anywhere in a reply (found by checksum) and phones by field name, counting them', () => {
    const reply = {
      id: 'a1',
      applicant: { residentId: ID, name: '张三', phone: '13812345678' },
      members: [{ idNumber: ID_X, contactMobile: '13900001111' }],
      note: `申请人 ${ID} 已受理`,
      amountFen: 123456,
      notAnId: '123456789012345678',
    };
    const { value, masked } = maskPersonalData(reply);
    expect(JSON.stringify(value)).not.toContain(ID);
    expect(JSON.stringify(value)).not.toContain(ID_X);
    expect(value).toMatchObject({ applicant: { residentId: maskResidentId(ID), name: '张三', phone: '138****5678' }, members: [{ contactMobile: '139****1111' }], amountFen: 123456, notAnId: '123456789012345678' });
    expect(masked).toBe(5);
  });

  it('masks IDs in CSV text without touching other long numbers', () => {
    const csv = `id,residentId,account\n1,${ID},6222020200112233445\n`;
    expect(maskText(csv)).toBe(`id,residentId,account\n1,${maskResidentId(ID)},6222020200112233445\n`);
  });
});
