import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Outbox, PersonalDataCipher, PlatformModule, runCommand, formatComparison } from '@civil/platform';
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
  /** `config` is the command's validated configuration: the cipher takes PERSONAL_DATA_KEY (and NODE_ENV) from it. */
  static forRoot(config: { DATABASE_URL: string }, logger: Logger): DynamicModule {
    return { module: DemoModule, imports: [PlatformModule.forCommand({ serviceName: SERVICE_NAME, config, logger, dataSource: serviceDataSource(config.DATABASE_URL, 6) })] };
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
    amount('urban paid', d.paidFen.urban, actual.dibao.paidFen.urban, wan),
    amount('rural paid', d.paidFen.rural, actual.dibao.paidFen.rural, wan),
    amount('urban per-capita level', d.perCapitaLevelFen.urban, actual.dibao.perCapitaLevelFen.urban, yuan),
    amount('rural per-capita level', d.perCapitaLevelFen.rural, actual.dibao.perCapitaLevelFen.rural, yuan),
    ['特困 persons (集中 / 分散)', `${SEED_2023.tekun.persons} (${SEED_2023.tekun.centralized} / ${SEED_2023.tekun.dispersed})`, `${actual.tekun.persons} (${actual.tekun.centralized} / ${actual.tekun.dispersed})`],
    amount('特困 paid', SEED_2023.tekun.paidFen, actual.tekun.paidFen, wan),
    ['临时救助 person-times', SEED_2023.temporary.personTimes, actual.temporary.personTimes],
    amount('临时救助 amount', SEED_2023.temporary.amountFen, actual.temporary.amountFen, wan),
    ['charity funds (303万余元)', `≥ ${c.fundsAtLeastFen}`, actual.charity.fundsFen, inBand(actual.charity.fundsFen, c.fundsAtLeastFen, 1_000_000)],
    ['households visited (4700余户)', `≥ ${c.householdsVisitedAtLeast}`, actual.charity.householdsVisited, inBand(actual.charity.householdsVisited, c.householdsVisitedAtLeast, 100)],
    ['charity activities (20余场次)', `≥ ${c.activitiesAtLeast}`, actual.charity.activities, inBand(actual.charity.activities, c.activitiesAtLeast, 10)],
    ['goods distributed (1.5万余元)', `≥ ${c.goodsDistributedAtLeastFen}`, actual.charity.goodsDistributedFen, inBand(actual.charity.goodsDistributedFen, c.goodsDistributedAtLeastFen, 100_000)],
    ['persons served (400余人次)', `≥ ${c.personsServedAtLeast}`, actual.charity.personsServed, inBand(actual.charity.personsServed, c.personsServedAtLeast, 100)],
  ];
  return rows.map(([figure, report, demo, matches]) => ({ figure, report: String(report), demo: String(demo), matches: matches ?? String(report) === String(demo) }));
}

/** Fen as the report writes amounts: 407,410,000 fen → 407.4100万元. */
function wan(fen: number): string {
  return `${(fen / 1_000_000).toFixed(4)}万元`;
}

/** Fen as the report writes per-capita levels: 39,596 fen → 395.96元. */
function yuan(fen: number): string {
  return `${(fen / 100).toFixed(2)}元`;
}

/** An amount row: shown as the report writes it (so a wrong unit shows), matched to the fen. */
function amount(figure: string, reportFen: number, demoFen: number, show: (fen: number) => string): [string, string, string, boolean] {
  return [figure, show(reportFen), show(demoFen), reportFen === demoFen];
}

/** "N余": at least N, below the next unit the report would have rounded to. */
function inBand(value: number, atLeast: number, unit: number): boolean {
  return value >= atLeast && value < atLeast + unit;
}

if (require.main === module) {
  void runCommand(SERVICE_NAME, (config, logger) => DemoModule.forRoot(config, logger), async (app, logger) => {
    const generator = new DemoGenerator(app.get(DataSource), app.get(Outbox), logger, undefined, app.get(PersonalDataCipher));
    const rows = compareWithSeed(await generator.generate());
    process.stdout.write(formatComparison(rows));
    return rows.every((r) => r.matches) ? 0 : 1;
  });
}
