import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { AUDIT_DATABASE_CLASSES, type AuditDatabaseClass } from '@civil/contracts';
import { Outbox, PlatformModule, runCommand, comparisonRow, formatComparison, type ComparisonRow } from '@civil/platform';

export { formatComparison, type ComparisonRow };
import { SERVICE_NAME } from '../config';
import { placeNamesDataSource } from '../data-source';
import { PlaceNamesDemoGenerator, type PlaceNamesDemoFigures } from './demo-generator';
import { RENAMING_HOOK } from './demo-plan';
import { SEED_2023 } from './seed-2023';

/**
 * Operator command: `node dist/demo/demo-command.js` adds the 2023 demo gazetteer of 大祥区 and
 * its quality-audit campaign, and prints the report's figures next to the data's. Needs only the
 * database (DATABASE_URL): the events wait in the outbox until the service's relay publishes them.
 * Running it again adds nothing. Exit 0 when every figure matches, 1 otherwise.
 */
@Module({})
class DemoModule {
  static forRoot(config: { DATABASE_URL: string }, logger: Logger): DynamicModule {
    return { module: DemoModule, imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config, logger, dataSource: placeNamesDataSource(config.DATABASE_URL, 4) })] };
  }
}

const CLASS_LABELS: Readonly<Record<AuditDatabaseClass, string>> = {
  'administrative-division': '  行政区划',
  'natural-feature': '  自然地理实体',
  'street-road-lane': '  街路巷',
  'committee-seat': '  群众自治组织',
  'residential-area-or-building': '  居民点',
  other: '  other categories',
};

const FIVE_CLASSES = AUDIT_DATABASE_CLASSES.filter((c) => c !== 'other');

/** Each figure of the report beside the demo data's, and whether it matches. */
export function compareWithSeed(actual: PlaceNamesDemoFigures): ComparisonRow[] {
  const five = FIVE_CLASSES.reduce((n, c) => n + actual.reviewed[c], 0);
  const fiveRecords = FIVE_CLASSES.reduce((n, c) => n + actual.records[c], 0);
  const other = actual.reviewed.other;
  return [
    comparisonRow('five classes reviewed in 2023 (五类地名)', SEED_2023.fiveClasses, five),
    ...FIVE_CLASSES.map((c) => ({ ...comparisonRow(CLASS_LABELS[c], '—', actual.reviewed[c], true), note: 'no report figure' })),
    comparisonRow('other categories reviewed in 2023 (五类之外)', `${SEED_2023.otherCategoriesAtLeast}余`, other, other >= SEED_2023.otherCategoriesAtLeast && other < SEED_2023.otherCategoriesAtLeast + 1000),
    comparisonRow('demo gazetteer records (five classes / other)', `${SEED_2023.fiveClasses} / ${SEED_2023.otherCategoriesAtLeast}余`, `${fiveRecords} / ${actual.records.other}`, fiveRecords === SEED_2023.fiveClasses && actual.records.other >= SEED_2023.otherCategoriesAtLeast),
    {
      ...comparisonRow('reviewed / corrected / supplemented', '—', `${actual.outcomes.reviewed} / ${actual.outcomes.corrected} / ${actual.outcomes.supplemented}`, true),
      note: '审核、修改、补录; no report split',
    },
    comparisonRow('campaign closed, records pending', 'closed, 0', `${actual.campaign.status}, ${actual.campaign.pending}`),
    comparisonRow('renamings announced in 2023', RENAMING_HOOK.map((r) => `${r.oldName} → ${r.newName}`).join('；'), actual.renamings.join('；')),
  ];
}

if (require.main === module) {
  void runCommand(SERVICE_NAME, (config, logger) => DemoModule.forRoot(config, logger), async (app, logger) => {
    const generator = new PlaceNamesDemoGenerator(app.get(DataSource), app.get(Outbox), logger);
    const rows = compareWithSeed(await generator.generate());
    process.stdout.write(formatComparison(rows));
    return rows.every((r) => r.matches) ? 0 : 1;
  });
}
