import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Outbox, PersonalDataCipher, PlatformModule, runCommand, comparisonRow, formatComparison, type ComparisonRow } from '@civil/platform';

export { formatComparison, type ComparisonRow };
import { SERVICE_NAME, serviceDataSource } from '../data-source';
import { ElderlyCareDemoGenerator, type ElderlyCareDemoFigures } from './demo-generator';
import { SEED_2023 } from './seed-2023';

/**
 * Operator command: `node dist/demo/demo-command.js` fills an empty elderly-care database with the
 * 2023 demo data set and prints its figures next to the annual report's. Needs only the database
 * (DATABASE_URL): the events wait in the outbox until the service's relay publishes them. The
 * home adaptations need older people social assistance's events say are 低保 or 特困 分散 (run
 * the social-assistance demo first, with the stack running); it waits up to ten minutes for them,
 * then declares 脱贫 households for whatever is missing. Exit 0 when every figure matches, 1 otherwise.
 */
@Module({})
class DemoModule {
  /** `config`: the command's (with PERSONAL_DATA_KEY, so the demo encrypts resident IDs under the service's key). */
  static forRoot(config: { DATABASE_URL: string }, logger: Logger): DynamicModule {
    return { module: DemoModule, imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config, logger, dataSource: serviceDataSource(config.DATABASE_URL, 6) })] };
  }
}

/** Each figure of the report beside the demo data's, and whether it matches. */
export function compareWithSeed(actual: ElderlyCareDemoFigures): ComparisonRow[] {
  const h = SEED_2023.homeAdaptation;
  const a = actual.homeAdaptation;
  const subsidiesWithin = a.minSubsidyFen !== null && a.maxSubsidyFen !== null && a.minSubsidyFen >= h.minSubsidyFen && a.maxSubsidyFen <= h.maxSubsidyFen;
  return [
    comparisonRow('care institutions (养老机构) on 31 Dec', SEED_2023.institutions.total, actual.institutions.total),
    comparisonRow('  公办敬老院', SEED_2023.institutions.public, actual.institutions.public),
    comparisonRow('  民办养老机构', SEED_2023.institutions.private, actual.institutions.private),
    { ...comparisonRow('beds / residents on 31 Dec', '—', `${actual.institutions.beds} / ${actual.institutions.occupied}`, true), note: 'no report figure' },
    {
      ...comparisonRow('inspections in 2023', '—', `${actual.inspections.inspections} (findings ${actual.inspections.findings}, rectified ${actual.inspections.rectified})`, true),
      note: 'no report figure',
    },
    comparisonRow('home adaptations completed (居家适老化改造)', h.completed, actual.homeAdaptation.completed),
    comparisonRow('home adaptation target', h.target, actual.homeAdaptation.target ?? 'none'),
    comparisonRow('each subsidy (元)', `${h.minSubsidyFen / 100}–${h.maxSubsidyFen / 100}`, a.minSubsidyFen === null || a.maxSubsidyFen === null ? 'none paid' : `${a.minSubsidyFen / 100}–${a.maxSubsidyFen / 100}`, subsidiesWithin),
    { ...comparisonRow('home adaptation subsidies paid (fen)', '—', a.subsidyFen, true), note: 'no report figure' },
    comparisonRow('high-age allowance paid (高龄生活补贴, fen)', SEED_2023.ageAllowances.highAgeFen, actual.ageAllowances.highAgeFen),
    comparisonRow('longevity allowance paid (长寿保健金, fen)', SEED_2023.ageAllowances.longevityFen, actual.ageAllowances.longevityFen),
    {
      ...comparisonRow('age-allowance payrolls / person-months', '24', `${actual.ageAllowances.payrolls} / ${actual.ageAllowances.highAgePersonMonths} + ${actual.ageAllowances.longevityPersonMonths}`, actual.ageAllowances.payrolls === 24),
      note: 'twelve months, two bands',
    },
  ];
}

if (require.main === module) {
  void runCommand(SERVICE_NAME, (config, logger) => DemoModule.forRoot(config, logger), async (app, logger) => {
    const generator = new ElderlyCareDemoGenerator(app.get(DataSource), app.get(Outbox), app.get(PersonalDataCipher), logger);
    const rows = compareWithSeed(await generator.generate());
    process.stdout.write(formatComparison(rows));
    return rows.every((r) => r.matches) ? 0 : 1;
  });
}
