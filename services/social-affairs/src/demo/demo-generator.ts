/**
 * The 2023 demo data set of social affairs, generated through the service's own classes (so
 * every event is in the outbox exactly as in real use): marriage and divorce registration,
 * 「镜圆」 counselling, social organisations, the social work station's activities, and last the
 * allowances. `socialAffairsDemoFigures` reads the report's figures back from the service's own
 * records.
 */
import type { Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { CounsellingService } from '../counselling/counselling.service';
import { MarriageRegistrationService } from '../marriage/marriage-registration.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { SocialWorkService } from '../social-work/social-work.service';
import { generateAllowanceDemo, type AllowanceDemoTotals } from './allowances-demo';
import { generateCounsellingDemo, planCounselling } from './counselling-demo';
import { READER } from './demo-support';
import { generateOrganisationsDemo } from './organisations-demo';
import { generateRegistrationsDemo, planRegistrations } from './registrations-demo';
import { generateSocialWorkDemo } from './social-work-demo';
import { SEED_2023 } from './seed-2023';

/** The figures read back from the records (all but the allowances, which their own part reports). */
export interface SocialAffairsDemoFigures {
  /** Marriages registered in the year. */
  marriages: number;
  /** Divorces registered in the year. */
  divorces: number;
  /** 出证准确率 over every certificate issued in the year, in basis points. */
  certificateAccuracyBp: number | null;
  certificates: number;
  /** The census on 31 December. */
  organisations: { socialGroups: number; privateNonEnterprise: number; total: number };
  socialWork: { activities: number; personsServed: number };
  counselling: { sessions: number; divorceMediations: number; reconciled: number };
}

export interface SocialAffairsDemoAggregates extends SocialAffairsDemoFigures {
  allowances: AllowanceDemoTotals;
}

export interface SocialAffairsDemoOptions {
  concurrency?: number;
  /** How long the allowance part waits for social assistance's 低保 events (see allowances-demo). */
  waitForDibaoMembersMs?: number;
}

export class SocialAffairsDemoGenerator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly logger: Logger,
    private readonly options: SocialAffairsDemoOptions = {},
  ) {}

  async generate(): Promise<SocialAffairsDemoAggregates> {
    const [existing] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM marriage_registration`);
    if ((existing?.n ?? 0) > 0) throw new Error('the demo data set goes into an empty social-affairs database (it has marriage registrations)');
    const concurrency = this.options.concurrency ?? 4;
    const started = Date.now();
    const registrations = await generateRegistrationsDemo(this.dataSource, this.outbox, this.logger, planRegistrations(), concurrency);
    await generateCounsellingDemo(this.dataSource, this.outbox, this.logger, planCounselling(registrations.plan), concurrency);
    await generateOrganisationsDemo(this.dataSource, this.outbox, this.logger, undefined, concurrency);
    await generateSocialWorkDemo(this.dataSource, this.outbox, this.logger);
    this.logger.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'demo: registrations, counselling, organisations and social work done; allowances next');
    const allowances = await generateAllowanceDemo(this.dataSource, this.outbox, this.logger, this.options.waitForDibaoMembersMs === undefined ? {} : { waitForDibaoMembersMs: this.options.waitForDibaoMembersMs });
    return { ...(await socialAffairsDemoFigures(this.dataSource, this.outbox, SEED_2023.year)), allowances };
  }
}

/** The report's figures as the service's own readers give them, within the district. */
export async function socialAffairsDemoFigures(dataSource: DataSource, outbox: Outbox, year: number): Promise<SocialAffairsDemoFigures> {
  const [registered] = await dataSource.query<{ marriages: number; divorces: number }[]>(
    `SELECT (SELECT count(*) FROM marriage_registration WHERE registered_on >= make_date($1, 1, 1) AND registered_on < make_date($1 + 1, 1, 1))::int AS marriages,
            (SELECT count(*) FROM divorce_application WHERE status = 'REGISTERED' AND registered_on >= make_date($1, 1, 1) AND registered_on < make_date($1 + 1, 1, 1))::int AS divorces`,
    [year],
  );
  const accuracy = await new MarriageRegistrationService(outbox, dataSource).certificateAccuracy(year, READER);
  const yearEnd = `${year}-12-31`;
  const census = await new OrganisationsService(outbox, dataSource).census(yearEnd, READER, yearEnd);
  const socialWork = await new SocialWorkService(outbox, dataSource).summary(year, READER);
  const counselling = await new CounsellingService(outbox, dataSource).summary({ year }, READER);
  return {
    marriages: registered?.marriages ?? 0,
    divorces: registered?.divorces ?? 0,
    certificateAccuracyBp: accuracy.accuracyBp,
    certificates: accuracy.certificates,
    organisations: { socialGroups: census.county['social-group'], privateNonEnterprise: census.county['private-non-enterprise'], total: census.total },
    socialWork: { activities: socialWork.activities, personsServed: socialWork.personsServed },
    counselling: { sessions: counselling.sessions, divorceMediations: counselling.divorceMediation.sessions, reconciled: counselling.divorceMediation.reconciled },
  };
}
