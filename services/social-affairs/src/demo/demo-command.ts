import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Outbox, PlatformModule, runCommand, comparisonRow, formatComparison, type ComparisonRow } from '@civil/platform';

export { formatComparison, type ComparisonRow };
import { SERVICE_NAME, serviceDataSource } from '../data-source';
import type { AllowanceDemoTotals } from './allowances-demo';
import { SocialAffairsDemoGenerator, type SocialAffairsDemoFigures } from './demo-generator';
import { SEED_2023 } from './seed-2023';

/**
 * Operator command: `node dist/demo/demo-command.js` fills an empty social-affairs database with
 * the 2023 demo data set and prints its figures next to the annual report's. Needs only the
 * database (DATABASE_URL): the events wait in the outbox until the service's relay publishes them.
 * The allowance part needs the 低保 households social assistance's events bring (run the
 * social-assistance demo first, with the stack running). Exit 0 when every figure matches, 1 otherwise.
 */
@Module({})
class DemoModule {
  /** `config`: the command's validated configuration (its PERSONAL_DATA_KEY makes the cipher). */
  static forRoot(config: { DATABASE_URL: string }, logger: Logger): DynamicModule {
    return { module: DemoModule, imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config, logger, dataSource: serviceDataSource(config.DATABASE_URL, 6) })] };
  }
}

/**
 * Each figure of the report beside the demo data's, and whether it matches. The allowance rows
 * appear when their totals are given. The report's total of social organisations (133) is not the
 * sum of its parts (27 + 108): the census is printed beside it with a note, not as a mismatch.
 */
export function compareWithSeed(actual: SocialAffairsDemoFigures & { allowances?: AllowanceDemoTotals }): ComparisonRow[] {
  const o = SEED_2023.organisations;
  const rows: ComparisonRow[] = [
    comparisonRow('marriages registered (结婚登记)', SEED_2023.marriages, actual.marriages),
    comparisonRow('divorces registered (离婚登记)', SEED_2023.divorces, actual.divorces),
    comparisonRow('certificate accuracy (出证准确率)', percent(SEED_2023.certificateAccuracyBp), actual.certificateAccuracyBp === null ? 'no certificates' : `${percent(actual.certificateAccuracyBp)} of ${actual.certificates}`, actual.certificateAccuracyBp === SEED_2023.certificateAccuracyBp),
    comparisonRow('社会团体 on 31 Dec', o.socialGroups, actual.organisations.socialGroups),
    comparisonRow('民办非企业单位 on 31 Dec', o.privateNonEnterprise, actual.organisations.privateNonEnterprise),
    {
      ...comparisonRow('social organisations in total', o.registeredTotal, actual.organisations.total, actual.organisations.total === o.socialGroups + o.privateNonEnterprise),
      note: `the report's parts add to ${o.socialGroups + o.privateNonEnterprise}; reporting flags its total`,
    },
    comparisonRow('social work activities (20余场)', `≥ ${SEED_2023.socialWorkActivitiesAtLeast}`, `${actual.socialWork.activities} (${actual.socialWork.personsServed} served)`, actual.socialWork.activities >= SEED_2023.socialWorkActivitiesAtLeast && actual.socialWork.activities < SEED_2023.socialWorkActivitiesAtLeast + 10),
    {
      ...comparisonRow('「镜圆」 counselling sessions', '—', `${actual.counselling.sessions} (mediations ${actual.counselling.divorceMediations}, reconciled ${actual.counselling.reconciled})`, true),
      note: 'no report figure',
    },
  ];
  if (actual.allowances) {
    const a = SEED_2023.allowances;
    rows.push(
      comparisonRow('orphan allowance paid (fen)', a.orphanFen, actual.allowances.orphanFen),
      comparisonRow('de-facto unsupported children paid (fen)', a.deFactoUnsupportedFen, actual.allowances.deFactoUnsupportedFen),
      comparisonRow('disability living allowance paid (fen)', a.disabilityLivingFen, actual.allowances.disabilityLivingFen),
      comparisonRow('disability care allowance paid (fen)', a.disabilityCareFen, actual.allowances.disabilityCareFen),
    );
  }
  return rows;
}

function percent(bp: number): string {
  return `${(bp / 100).toFixed(2)} %`;
}

if (require.main === module) {
  void runCommand(SERVICE_NAME, (config, logger) => DemoModule.forRoot(config, logger), async (app, logger) => {
    const generator = new SocialAffairsDemoGenerator(app.get(DataSource), app.get(Outbox), logger);
    const rows = compareWithSeed(await generator.generate());
    process.stdout.write(formatComparison(rows));
    return rows.every((r) => r.matches) ? 0 : 1;
  });
}
