/**
 * Divorce by agreement (协议离婚), Civil Code art. 1077: after the application is received, a
 * cooling-off period of 30 days counted from the next day, in which either party may withdraw;
 * then 30 days in which both must appear to be registered, or the application counts as
 * withdrawn. When a period's last day is a statutory day off, the period ends on the first
 * working day after it (art. 203). Pure functions over dates and the working-day calendar.
 */
import { addDays, compareDates, type WorkingDayCalendar } from '@civil/domain-kernel';

export interface DivorceRule {
  coolingOffDays: number;
  appearanceDays: number;
}

export interface DivorceTimeline {
  receivedOn: string;
  /** The last day of cooling-off: withdrawal possible through it. */
  coolingOffEndsOn: string;
  /** The last day on which both may appear to be registered. */
  appearByOn: string;
}

export type DivorceStatus = 'COOLING_OFF' | 'AWAITING_BOTH' | 'WITHDRAWN' | 'LAPSED' | 'REGISTERED';

/** The last day of a period of `days` days counted from the day after `start`, moved off a day off. */
function periodEnd(start: string, days: number, calendar: WorkingDayCalendar): string {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`a period has at least one day, got ${days}`);
  return calendar.nextWorkingDayOnOrAfter(addDays(start, days));
}

export function divorceTimeline(receivedOn: string, rule: DivorceRule, calendar: WorkingDayCalendar): DivorceTimeline {
  const coolingOffEndsOn = periodEnd(receivedOn, rule.coolingOffDays, calendar);
  return { receivedOn, coolingOffEndsOn, appearByOn: periodEnd(coolingOffEndsOn, rule.appearanceDays, calendar) };
}

/** The status on a date from the timeline and what was recorded (a withdrawal, a registration). */
export function divorceStatusOn(timeline: DivorceTimeline, recorded: { withdrawnOn: string | null; registeredOn: string | null }, today: string): DivorceStatus {
  if (recorded.registeredOn !== null) return 'REGISTERED';
  if (recorded.withdrawnOn !== null) return 'WITHDRAWN';
  if (compareDates(today, timeline.coolingOffEndsOn) <= 0) return 'COOLING_OFF';
  if (compareDates(today, timeline.appearByOn) <= 0) return 'AWAITING_BOTH';
  return 'LAPSED';
}

/** Why an action is refused on a date, or null when it is allowed. */
export function divorceActionRefusal(action: 'withdraw' | 'register', status: DivorceStatus): string | null {
  switch (action) {
    case 'withdraw':
      return status === 'COOLING_OFF' ? null : `withdrawal is possible during cooling-off only; the application is ${status}`;
    case 'register':
      return status === 'AWAITING_BOTH' ? null : `a divorce is registered after cooling-off and before the appearance deadline; the application is ${status}`;
  }
}
