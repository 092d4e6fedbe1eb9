import { serviceDataSourceOptions } from '@civil/platform';
import type { DataSourceOptions } from 'typeorm';
import { MarriageRegistries1764000003000 } from './migrations/1764000003000-marriage-registries';
import { MarriageRegistration1764000020000 } from './migrations/1764000020000-marriage-registration';
import { CemeteryBooking1764000021000 } from './migrations/1764000021000-cemetery-booking';
import { Divorce1764000022000 } from './migrations/1764000022000-divorce';
import { SocialWork1764000023000 } from './migrations/1764000023000-social-work';
import { SocialOrganisations1764000024000 } from './migrations/1764000024000-social-organisations';
import { MarriageCounselling1764000025000 } from './migrations/1764000025000-marriage-counselling';
import { Allowances1764000026000 } from './migrations/1764000026000-allowances';
import { ResidentIdsAtRest1764000061000 } from './migrations/1764000061000-resident-ids-at-rest';

export const SERVICE_NAME = 'social-affairs';

export function serviceDataSource(url: string, poolSize?: number): DataSourceOptions {
  return serviceDataSourceOptions({ url, ...(poolSize ? { poolSize } : {}), entities: [], migrations: [MarriageRegistries1764000003000, MarriageRegistration1764000020000, CemeteryBooking1764000021000, Divorce1764000022000, SocialWork1764000023000, SocialOrganisations1764000024000, MarriageCounselling1764000025000, Allowances1764000026000, ResidentIdsAtRest1764000061000], applicationName: SERVICE_NAME });
}
