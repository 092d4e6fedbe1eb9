import * as kernel from './index';

// Other libraries and services import these names from '@civil/domain-kernel'; dropping one from
// the barrel would only surface as a build failure far away.
describe('public API', () => {
  it.each([
    'InvalidValueError',
    'ResidentId',
    'buildResidentId',
    'Money',
    'moneyColumnTransformer',
    'DivisionCode',
    'Period',
    'parseLocalDate',
    'isValidLocalDate',
    'todayInShanghai',
    'addDays',
    'daysBetween',
    'dayOfWeek',
    'compareDates',
    'isLeapYear',
    'lastDayOfMonth',
    'WorkingDayCalendar',
    'CHINA_STATUTORY_CALENDAR_DATA',
  ])('exports %s', (name) => {
    expect(kernel).toHaveProperty(name);
    expect((kernel as Record<string, unknown>)[name]).toBeDefined();
  });
});
