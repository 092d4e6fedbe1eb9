import { addDays, compareDates } from '../local-date';

/**
 * China's statutory holiday arrangements, transcribed from the State Council General Office
 * notices (国务院办公厅关于…年部分节假日安排的通知):
 *
 * - 2023: 国办发明电〔2022〕16号, 8 December 2022
 * - 2024: 国办发明电〔2023〕7号, 25 October 2023
 * - 2025: 国办发明电〔2024〕12号, 12 November 2024 (first year under the November 2024 revision of
 *   《全国年节及纪念日放假办法》, which added 除夕 and 2 May)
 * - 2026: notice of 4 November 2025
 *
 * This is seed data for the holiday table services deadline computations read; the arrangement is
 * a yearly political decision, so nothing in code may derive it. Each `span` mirrors the notice's
 * "X日至Y日放假调休" wording, weekend days included. A year's entry holds what that year's notice
 * lists, even when a block starts in the previous December (2023's 元旦 starts 2022-12-31).
 * Add a year by transcribing its notice; never extrapolate.
 */
export const CHINA_STATUTORY_CALENDAR_DATA: Record<number, { holidays: string[]; workingWeekends: string[] }> = {
  2023: {
    holidays: [
      ...span('2022-12-31', '2023-01-02'), // 元旦
      ...span('2023-01-21', '2023-01-27'), // 春节
      '2023-04-05', // 清明节
      ...span('2023-04-29', '2023-05-03'), // 劳动节
      ...span('2023-06-22', '2023-06-24'), // 端午节
      ...span('2023-09-29', '2023-10-06'), // 中秋节、国庆节
    ],
    workingWeekends: [
      '2023-01-28', '2023-01-29', // 春节
      '2023-04-23', '2023-05-06', // 劳动节
      '2023-06-25', // 端午节
      '2023-10-07', '2023-10-08', // 中秋节、国庆节
    ],
  },
  2024: {
    holidays: [
      '2024-01-01', // 元旦
      ...span('2024-02-10', '2024-02-17'), // 春节 (除夕 2-9 only "encouraged" as leave, so a working day)
      ...span('2024-04-04', '2024-04-06'), // 清明节
      ...span('2024-05-01', '2024-05-05'), // 劳动节
      '2024-06-10', // 端午节
      ...span('2024-09-15', '2024-09-17'), // 中秋节
      ...span('2024-10-01', '2024-10-07'), // 国庆节
    ],
    workingWeekends: [
      '2024-02-04', '2024-02-18', // 春节
      '2024-04-07', // 清明节
      '2024-04-28', '2024-05-11', // 劳动节
      '2024-09-14', // 中秋节
      '2024-09-29', '2024-10-12', // 国庆节
    ],
  },
  2025: {
    holidays: [
      '2025-01-01', // 元旦
      ...span('2025-01-28', '2025-02-04'), // 春节
      ...span('2025-04-04', '2025-04-06'), // 清明节
      ...span('2025-05-01', '2025-05-05'), // 劳动节
      ...span('2025-05-31', '2025-06-02'), // 端午节
      ...span('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    workingWeekends: [
      '2025-01-26', '2025-02-08', // 春节
      '2025-04-27', // 劳动节
      '2025-09-28', '2025-10-11', // 国庆节、中秋节
    ],
  },
  2026: {
    holidays: [
      ...span('2026-01-01', '2026-01-03'), // 元旦
      ...span('2026-02-15', '2026-02-23'), // 春节
      ...span('2026-04-04', '2026-04-06'), // 清明节
      ...span('2026-05-01', '2026-05-05'), // 劳动节
      ...span('2026-06-19', '2026-06-21'), // 端午节
      ...span('2026-09-25', '2026-09-27'), // 中秋节
      ...span('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workingWeekends: [
      '2026-01-04', // 元旦
      '2026-02-14', '2026-02-28', // 春节
      '2026-05-09', // 劳动节
      '2026-09-20', '2026-10-10', // 国庆节
    ],
  },
};

function span(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; compareDates(day, to) <= 0; day = addDays(day, 1)) days.push(day);
  return days;
}
