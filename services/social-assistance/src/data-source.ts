import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { Households1764000005000 } from './migrations/1764000005000-households';
import { AssistanceBase1764000006000 } from './migrations/1764000006000-assistance-base';
import { Verification1764000007000 } from './migrations/1764000007000-verification';
import { Payroll1764000008000 } from './migrations/1764000008000-payroll';
import { HolidayCalendar1764000009000 } from './migrations/1764000009000-holiday-calendar';
import { KnownDivisions1764000009500 } from './migrations/1764000009500-known-divisions';
import { TemporaryAssistance1764000010000 } from './migrations/1764000010000-temporary-assistance';
import { DibaoReviews1764000011000 } from './migrations/1764000011000-dibao-reviews';
import { Tekun1764000012000 } from './migrations/1764000012000-tekun';
import { Charity1764000013000 } from './migrations/1764000013000-charity';
import { PayrollExport1764000014000 } from './migrations/1764000014000-payroll-export';
import { DibaoProcedure1764000015000 } from './migrations/1764000015000-dibao-procedure';
import { DibaoAssets1764000016000 } from './migrations/1764000016000-dibao-assets';
import { DibaoReviewRule1764000017000 } from './migrations/1764000017000-dibao-review-rule';
import { ResidentIdsAtRest1764000060000 } from './migrations/1764000060000-resident-ids-at-rest';
import { SealedEventEnvelopes1764000063000 } from './migrations/1764000063000-sealed-event-envelopes';

export const SERVICE_NAME = 'social-assistance';

/** This service's migrations, in order (the platform's are added by serviceDataSourceOptions). */
export const SERVICE_MIGRATIONS = [
  Households1764000005000,
  AssistanceBase1764000006000,
  Verification1764000007000,
  Payroll1764000008000,
  HolidayCalendar1764000009000,
  KnownDivisions1764000009500,
  TemporaryAssistance1764000010000,
  DibaoReviews1764000011000,
  Tekun1764000012000,
  Charity1764000013000,
  PayrollExport1764000014000,
  DibaoProcedure1764000015000,
  DibaoAssets1764000016000,
  DibaoReviewRule1764000017000,
  ResidentIdsAtRest1764000060000,
  SealedEventEnvelopes1764000063000,
];

export function serviceDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({ url, ...(poolSize ? { poolSize } : {}), entities: [], migrations: SERVICE_MIGRATIONS, applicationName: SERVICE_NAME });
}
