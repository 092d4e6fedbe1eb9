import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Outbox, PlatformModule, runCommand, padColumns } from '@civil/platform';
import { SERVICE_NAME, serviceDataSource } from '../data-source';
import { DemoGenerator, type DemoAggregates } from './demo-generator';
import { SEED_2023 } from './seed-2023';

/**
 * Operator command: `node dist/demo/demo-command.js` fills an empty social-assistance database
 * with the 2023 demo data set and prints its aggregates next to the annual report's figures.
 * Needs only the database (DATABASE_URL): the events wait in the outbox until the service's relay
 * publishes them. Exit 0 when every figure matches, 1 otherwise.
 */
@Module({})
class DemoModule {
  static forRoot(databaseUrl: string, logger: Logger): DynamicModule {
    return { module: DemoModule, imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config: {}, logger, dataSource: serviceDataSource(databaseUrl, 6) })] };
  }
}

/** Each figure of the report beside the demo data's, and whether it matches. */
export function compareWithSeed(actual: DemoAggregates): { figure: string; report: string; demo: string; matches: boolean }[] {
  const d = SEED_2023.dibao;
  const c = SEED_2023.charity;
  const rows: [string, number | string, number | string, boolean?][] = [
    ['低保 new households / persons', `${d.newHouseholds} / ${d.newPersons}`, `${actual.dibao.newHouseholds} / ${actual.dibao.newPersons}`],
    ['低保 stopped households / persons', `${d.stoppedHouseholds} / ${d.stoppedPersons}`, `${actual.dibao.stoppedHouseholds} / ${actual.dibao.stoppedPersons}`],
    ['urban at year end (households / persons)', `${d.yearEnd.urban.households} / ${d.yearEnd.urban.persons}`, `${actual.dibao.yearEnd.urban.households} / ${actual.dibao.yearEnd.urban.persons}`],
    ['rural at year end (households / persons)', `${d.yearEnd.rural.households} / ${d.yearEnd.rural.persons}`, `${actual.dibao.yearEnd.rural.households} / ${actual.dibao.yearEnd.rural.persons}`],
    ['urban paid (fen)', d.paidFen.urban, actual.dibao.paidFen.urban],
    ['rural paid (fen)', d.paidFen.rural, actual.dibao.paidFen.rural],
    ['urban per-capita level (fen)', d.perCapitaLevelFen.urban, actual.dibao.perCapitaLevelFen.urban],
    ['rural per-capita level (fen)', d.perCapitaLevelFen.rural, actual.dibao.perCapitaLevelFen.rural],
    ['特困 persons (集中 / 分散)', `${SEED_2023.tekun.persons} (${SEED_2023.tekun.centralized} / ${SEED_2023.tekun.dispersed})`, `${actual.tekun.persons} (${actual.tekun.centralized} / ${actual.tekun.dispersed})`],
    ['特困 paid (fen)', SEED_2023.tekun.paidFen, actual.tekun.paidFen],
    ['临时救助 person-times', SEED_2023.temporary.personTimes, actual.temporary.personTimes],
    ['临时救助 amount (fen)', SEED_2023.temporary.amountFen, actual.temporary.amountFen],
    ['charity funds (303万余元)', `≥ ${c.fundsAtLeastFen}`, actual.charity.fundsFen, inBand(actual.charity.fundsFen, c.fundsAtLeastFen, 1_000_000)],
    ['households visited (4700余户)', `≥ ${c.householdsVisitedAtLeast}`, actual.charity.householdsVisited, inBand(actual.charity.householdsVisited, c.householdsVisitedAtLeast, 100)],
    ['charity activities (20余场次)', `≥ ${c.activitiesAtLeast}`, actual.charity.activities, inBand(actual.charity.activities, c.activitiesAtLeast, 10)],
    ['goods distributed (1.5万余元)', `≥ ${c.goodsDistributedAtLeastFen}`, actual.charity.goodsDistributedFen, inBand(actual.charity.goodsDistributedFen, c.goodsDistributedAtLeastFen, 100_000)],
    ['persons served (400余人次)', `≥ ${c.personsServedAtLeast}`, actual.charity.personsServed, inBand(actual.charity.personsServed, c.personsServedAtLeast, 100)],
  ];
  return rows.map(([figure, report, demo, matches]) => ({ figure, report: String(report), demo: String(demo), matches: matches ?? String(report) === String(demo) }));
}

/** "N余": at least N, below the next unit the report would have rounded to. */
function inBand(value: number, atLeast: number, unit: number): boolean {
  return value >= atLeast && value < atLeast + unit;
}

if (require.main === module) {
  void runCommand(SERVICE_NAME, (config, logger) => DemoModule.forRoot(config.DATABASE_URL, logger), async (app, logger) => {
    const generator = new DemoGenerator(app.get(DataSource), app.get(Outbox), logger);
    const rows = compareWithSeed(await generator.generate());
    process.stdout.write(`${padColumns('figure', 44)}${padColumns('2023 report', 24)}demo data\n`);
    for (const row of rows) process.stdout.write(`${padColumns(row.figure, 44)}${padColumns(row.report, 24)}${row.demo}${row.matches ? '' : '   ← differs'}\n`);
    return rows.every((r) => r.matches) ? 0 : 1;
  });
}
