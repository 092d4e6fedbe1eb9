import { CHINA_STATUTORY_CALENDAR_DATA, WorkingDayCalendar } from '@civil/domain-kernel';
import { divorceActionRefusal, divorceStatusOn, divorceTimeline } from './divorce.domain';

const calendar = new WorkingDayCalendar({
  holidays: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((y) => y.holidays),
  workingWeekends: Object.values(CHINA_STATUTORY_CALENDAR_DATA).flatMap((y) => y.workingWeekends),
});
const rule = { coolingOffDays: 30, appearanceDays: 30 };

describe('divorceTimeline', () => {
  it.each<[string, string, string, string]>([
    // Received Tue 2023-03-07: day 1 is 03-08, day 30 is Thu 04-06; then 30 days to Sat 05-06 — a 调休 working Saturday.
    ['a plain case, ending on a 调休 working Saturday', '2023-03-07', '2023-04-06', '2023-05-06'],
    // Received 01-31: day 30 is 03-02 across February's end (28 days).
    ['across the end of February', '2023-01-31', '2023-03-02', '2023-04-03'],
    // Day 30 is Sat 2023-09-30 in the National Day holiday: cooling-off ends the first working day after it, 10-07 (调休 Saturday).
    ['a last day in the National Day holiday', '2023-08-31', '2023-10-07', '2023-11-06'],
    // Day 30 is Sat 2024-02-10 in the Spring Festival holiday (02-10 to 02-17): ends Sun 02-18, a 调休 working day.
    ['a last day in the Spring Festival holiday', '2024-01-11', '2024-02-18', '2024-03-19'],
  ])('%s', (_label, receivedOn, coolingOffEndsOn, appearByOn) => {
    expect(divorceTimeline(receivedOn, rule, calendar)).toEqual({ receivedOn, coolingOffEndsOn, appearByOn });
  });

  it('refuses a period of no days', () => {
    expect(() => divorceTimeline('2023-03-07', { coolingOffDays: 0, appearanceDays: 30 }, calendar)).toThrow(RangeError);
  });
});

describe('divorceStatusOn', () => {
  const timeline = divorceTimeline('2023-03-07', rule, calendar);
  const none = { withdrawnOn: null, registeredOn: null };
  it.each<[string, string]>([
    ['2023-03-07', 'COOLING_OFF'],
    ['2023-04-06', 'COOLING_OFF'],
    ['2023-04-07', 'AWAITING_BOTH'],
    ['2023-05-06', 'AWAITING_BOTH'],
    ['2023-05-07', 'LAPSED'],
  ])('on %s: %s', (today, status) => {
    expect(divorceStatusOn(timeline, none, today)).toBe(status);
  });

  it('a withdrawal or a registration decides it', () => {
    expect(divorceStatusOn(timeline, { withdrawnOn: '2023-03-20', registeredOn: null }, '2023-04-20')).toBe('WITHDRAWN');
    expect(divorceStatusOn(timeline, { withdrawnOn: null, registeredOn: '2023-04-20' }, '2023-06-01')).toBe('REGISTERED');
  });
});

describe('divorceActionRefusal', () => {
  it.each<['withdraw' | 'register', 'COOLING_OFF' | 'AWAITING_BOTH' | 'WITHDRAWN' | 'LAPSED' | 'REGISTERED', boolean]>([
    ['withdraw', 'COOLING_OFF', true],
    ['withdraw', 'AWAITING_BOTH', false],
    ['withdraw', 'REGISTERED', false],
    ['register', 'COOLING_OFF', false],
    ['register', 'AWAITING_BOTH', true],
    ['register', 'LAPSED', false],
    ['register', 'WITHDRAWN', false],
  ])('%s when %s → allowed %s', (action, status, allowed) => {
    expect(divorceActionRefusal(action, status) === null).toBe(allowed);
  });
});
