import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Outbox, PlatformModule, runCommand } from '@civil/platform';
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
  static forRoot(databaseUrl: string, logger: Logger): DynamicModule {
    return { module: DemoModule, imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config: {}, logger, dataSource: serviceDataSource(databaseUrl, 6) })] };
  }
}

export interface ComparisonRow {
  figure: string;
  report: string;
  demo: string;
  matches: boolean;
  note?: string;
}

/**
 * Each figure of the report beside the demo data's, and whether it matches. The allowance rows
 * appear when their totals are given. The report's total of social organisations (133) is not the
 * sum of its parts (27 + 108): the census is printed beside it with a note, not as a mismatch.
 */
export function compareWithSeed(actual: SocialAffairsDemoFigures & { allowances?: AllowanceDemoTotals }): ComparisonRow[] {
  const o = SEED_2023.organisations;
  const rows: ComparisonRow[] = [
    row('marriages registered (结婚登记)', SEED_2023.marriages, actual.marriages),
    row('divorces registered (离婚登记)', SEED_2023.divorces, actual.divorces),
    row('certificate accuracy (出证准确率)', percent(SEED_2023.certificateAccuracyBp), actual.certificateAccuracyBp === null ? 'no certificates' : `${percent(actual.certificateAccuracyBp)} of ${actual.certificates}`, actual.certificateAccuracyBp === SEED_2023.certificateAccuracyBp),
    row('社会团体 on 31 Dec', o.socialGroups, actual.organisations.socialGroups),
    row('民办非企业单位 on 31 Dec', o.privateNonEnterprise, actual.organisations.privateNonEnterprise),
    {
      ...row('social organisations in total', o.registeredTotal, actual.organisations.total, actual.organisations.total === o.socialGroups + o.privateNonEnterprise),
      note: `the report's parts add to ${o.socialGroups + o.privateNonEnterprise}; reporting flags its total`,
    },
    row('social work activities (20余场)', `≥ ${SEED_2023.socialWorkActivitiesAtLeast}`, `${actual.socialWork.activities} (${actual.socialWork.personsServed} served)`, actual.socialWork.activities >= SEED_2023.socialWorkActivitiesAtLeast && actual.socialWork.activities < SEED_2023.socialWorkActivitiesAtLeast + 10),
    {
      ...row('「镜圆」 counselling sessions', '—', `${actual.counselling.sessions} (mediations ${actual.counselling.divorceMediations}, reconciled ${actual.counselling.reconciled})`, true),
      note: 'no report figure',
    },
  ];
  if (actual.allowances) {
    const a = SEED_2023.allowances;
    rows.push(
      row('orphan allowance paid (fen)', a.orphanFen, actual.allowances.orphanFen),
      row('de-facto unsupported children paid (fen)', a.deFactoUnsupportedFen, actual.allowances.deFactoUnsupportedFen),
      row('disability living allowance paid (fen)', a.disabilityLivingFen, actual.allowances.disabilityLivingFen),
      row('disability care allowance paid (fen)', a.disabilityCareFen, actual.allowances.disabilityCareFen),
    );
  }
  return rows;
}

function row(figure: string, report: number | string, demo: number | string, matches?: boolean): ComparisonRow {
  return { figure, report: String(report), demo: String(demo), matches: matches ?? String(report) === String(demo) };
}

function percent(bp: number): string {
  return `${(bp / 100).toFixed(2)} %`;
}

/** Pads to a terminal width: Chinese characters take two columns. */
function pad(text: string, width: number): string {
  const columns = [...text].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
  return text + ' '.repeat(Math.max(1, width - columns));
}

/** The comparison as the command prints it. */
export function formatComparison(rows: readonly ComparisonRow[]): string {
  const lines = [`${pad('figure', 44)}${pad('2023 report', 20)}demo data`];
  for (const r of rows) lines.push(`${pad(r.figure, 44)}${pad(r.report, 20)}${r.demo}${r.matches ? '' : '   ← differs'}${r.note === undefined ? '' : `   (${r.note})`}`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  void runCommand(SERVICE_NAME, (config, logger) => DemoModule.forRoot(config.DATABASE_URL, logger), async (app, logger) => {
    const generator = new SocialAffairsDemoGenerator(app.get(DataSource), app.get(Outbox), logger);
    const rows = compareWithSeed(await generator.generate());
    process.stdout.write(formatComparison(rows));
    return rows.every((r) => r.matches) ? 0 : 1;
  });
}
