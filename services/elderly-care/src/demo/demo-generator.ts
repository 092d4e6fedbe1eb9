/**
 * The 2023 demo data set of elderly care, generated through the service's own classes (so every
 * record has its events in the outbox exactly as in real use): the care institutions, the age
 * allowances and the home adaptations. `elderlyCareDemoFigures` reads the report's figures back
 * from the service's own readers.
 */
import type { Outbox, PersonalDataCipher } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { AgeAllowancePayrollService } from '../age-allowance/age-allowance-payroll.service';
import { HomeAdaptationService } from '../home-adaptation/home-adaptation.service';
import { InstitutionsService } from '../institutions/institutions.service';
import { generateAgeAllowancesDemo, type AgeAllowanceDemoResult } from './age-allowances-demo';
import { READER } from './demo-support';
import { generateHomeAdaptationDemo, type HomeAdaptationDemoResult } from './home-adaptation-demo';
import { generateInstitutionsDemo, type InstitutionsDemoResult } from './institutions-demo';
import { SEED_2023 } from './seed-2023';

/** The figures read back from the records. */
export interface ElderlyCareDemoFigures {
  /** Institutions open on 31 December, by ownership, with their beds and residents that day. */
  institutions: { total: number; public: number; private: number; beds: number; occupied: number };
  inspections: { inspections: number; findings: number; rectified: number };
  homeAdaptation: { completed: number; target: number | null; subsidyFen: number; minSubsidyFen: number | null; maxSubsidyFen: number | null };
  ageAllowances: { highAgeFen: number; highAgePersonMonths: number; longevityFen: number; longevityPersonMonths: number; payrolls: number };
}

export interface ElderlyCareDemoAggregates extends ElderlyCareDemoFigures {
  generated: { institutions: InstitutionsDemoResult; ageAllowances: AgeAllowanceDemoResult; homeAdaptation: HomeAdaptationDemoResult };
}

export interface ElderlyCareDemoOptions {
  concurrency?: number;
  /** How long the home-adaptation part waits for social assistance's 低保 and 特困 events. */
  waitForAssistanceMs?: number;
  /** How long the read model must stay unchanged before it is taken as caught up (default 15 s). */
  assistanceSettleMs?: number;
}

export class ElderlyCareDemoGenerator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly cipher: PersonalDataCipher,
    private readonly logger: Logger,
    private readonly options: ElderlyCareDemoOptions = {},
  ) {}

  async generate(): Promise<ElderlyCareDemoAggregates> {
    const [existing] = await this.dataSource.query<{ n: number }[]>(`SELECT (SELECT count(*) FROM care_institution) + (SELECT count(*) FROM older_resident) + (SELECT count(*) FROM home_adaptation_case) AS n`);
    if (Number(existing?.n ?? 0) > 0) throw new Error('the demo data set goes into an empty elderly-care database (it has institutions, older residents or home adaptations)');
    const concurrency = this.options.concurrency ?? 4;
    const started = Date.now();
    const institutions = await generateInstitutionsDemo(this.dataSource, this.outbox, this.cipher, this.logger, concurrency);
    const ageAllowances = await generateAgeAllowancesDemo(this.dataSource, this.outbox, this.cipher, this.logger, concurrency);
    this.logger.info({ seconds: Math.round((Date.now() - started) / 1000) }, 'demo: institutions and age allowances done; home adaptations next');
    const homeAdaptation = await generateHomeAdaptationDemo(this.dataSource, this.outbox, this.cipher, this.logger, {
      concurrency,
      ...(this.options.waitForAssistanceMs === undefined ? {} : { waitMs: this.options.waitForAssistanceMs }),
      ...(this.options.assistanceSettleMs === undefined ? {} : { settleMs: this.options.assistanceSettleMs }),
    });
    return { ...(await elderlyCareDemoFigures(this.dataSource, this.outbox, this.cipher, SEED_2023.year)), generated: { institutions, ageAllowances, homeAdaptation } };
  }
}

/** The report's figures as the service's own readers give them, within the district. */
export async function elderlyCareDemoFigures(dataSource: DataSource, outbox: Outbox, cipher: PersonalDataCipher, year: number): Promise<ElderlyCareDemoFigures> {
  const yearEnd = `${year}-12-31`;
  const occupancy = await new InstitutionsService(outbox, dataSource, cipher).occupancySummary({ date: yearEnd }, READER, yearEnd);
  const owned = (ownership: 'public' | 'private'): number => occupancy.byOwnership.find((o) => o.ownership === ownership)?.institutions ?? 0;
  const [inspections] = await dataSource.query<{ inspections: number; findings: number; rectified: number }[]>(
    `SELECT count(DISTINCT i.id)::int AS inspections, count(f.id)::int AS findings, count(f.rectified_on)::int AS rectified
       FROM care_inspection i LEFT JOIN care_inspection_finding f ON f.inspection_id = i.id
      WHERE i.inspected_on >= make_date($1, 1, 1) AND i.inspected_on < make_date($1 + 1, 1, 1)`,
    [year],
  );
  const progress = await new HomeAdaptationService(outbox, dataSource, cipher).progress({ year }, READER);
  const [subsidies] = await dataSource.query<{ min: number | null; max: number | null }[]>(
    `SELECT min(subsidy_fen)::int AS min, max(subsidy_fen)::int AS max FROM home_adaptation_case
      WHERE status = 'completed' AND paid_on >= make_date($1, 1, 1) AND paid_on < make_date($1 + 1, 1, 1)`,
    [year],
  );
  const summary = await new AgeAllowancePayrollService(outbox, dataSource).yearSummary(year, READER);
  const band = (name: 'high-age' | 'longevity'): { amountFen: number; personMonths: number; payrolls: number } => summary.bands.find((b) => b.band === name) ?? { amountFen: 0, personMonths: 0, payrolls: 0 };
  return {
    institutions: { total: occupancy.institutions, public: owned('public'), private: owned('private'), beds: occupancy.total.beds, occupied: occupancy.total.occupied },
    inspections: { inspections: inspections?.inspections ?? 0, findings: inspections?.findings ?? 0, rectified: inspections?.rectified ?? 0 },
    homeAdaptation: { completed: progress.completed, target: progress.target, subsidyFen: progress.subsidyFen, minSubsidyFen: subsidies?.min ?? null, maxSubsidyFen: subsidies?.max ?? null },
    ageAllowances: {
      highAgeFen: band('high-age').amountFen,
      highAgePersonMonths: band('high-age').personMonths,
      longevityFen: band('longevity').amountFen,
      longevityPersonMonths: band('longevity').personMonths,
      payrolls: band('high-age').payrolls + band('longevity').payrolls,
    },
  };
}
