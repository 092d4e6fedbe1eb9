import 'reflect-metadata';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Patterns, type Actor } from '@civil/contracts';
import { RPC_HANDLER, type RpcHandlerMetadata } from '@civil/platform';
import { domainErrorOf, untouchable } from '@civil/testing';
import { BudgetHandlers } from '../budget/budget.handlers';
import { BudgetService } from '../budget/budget.service';
import { DashboardsHandlers } from '../dashboards/dashboards.handlers';
import { DashboardsModule } from '../dashboards/dashboards.module';
import { DashboardsService } from '../dashboards/dashboards.service';
import { IndicatorsHandlers } from '../indicators/indicators.handlers';
import { IndicatorsService } from '../indicators/indicators.service';
import { ValidationHandlers } from '../validation/validation.handlers';
import { ValidationService } from '../validation/validation.service';
import { SignOffHandlers } from './sign-off.handlers';
import { SignOffModule } from './sign-off.module';
import { SignOffService } from './sign-off.service';

@Global()
@Module({ providers: [{ provide: getDataSourceToken(), useValue: { query: () => Promise.resolve([]) } }], exports: [getDataSourceToken()] })
class FakeDatabaseModule {}

const HANDLERS = [IndicatorsHandlers, BudgetHandlers, ValidationHandlers, SignOffHandlers, DashboardsHandlers];

function subjectsOf(handler: (typeof HANDLERS)[number]): string[] {
  const proto = handler.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .map((name) => Reflect.getMetadata(RPC_HANDLER, proto[name] as object) as RpcHandlerMetadata | undefined)
    .filter((m): m is RpcHandlerMetadata => m !== undefined)
    .map((m) => m.subject);
}

describe('evaluation modules', () => {
  let app: INestApplicationContext | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('Nest puts the services and handlers together', async () => {
    @Module({ imports: [FakeDatabaseModule, SignOffModule, DashboardsModule] })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    for (const service of [IndicatorsService, BudgetService, ValidationService, SignOffService, DashboardsService, ...HANDLERS]) {
      expect(app.get(service, { strict: false })).toBeInstanceOf(service);
    }
  });

  it('handles each evaluation subject once', () => {
    const r = Patterns.reporting;
    const ours = [
      r.listIndicators, r.saveIndicator, r.setIndicatorYear, r.evaluateIndicators,
      r.getBudget, r.setBudget, r.budgetExecution,
      r.listValidationRules, r.saveValidationRule, r.listStatedFigures, r.setStatedFigures, r.runValidation,
      r.signOffStatus, r.reviewReport, r.approveReport,
      r.dashboardSeries, r.dashboardTownships,
    ];
    expect(HANDLERS.flatMap(subjectsOf).sort()).toEqual([...ours].sort());
  });
});

describe('evaluation handlers', () => {
  const citizen: Actor = { userId: 'c', kind: 'citizen', roles: ['citizen'], divisions: [] };
  const ctx = (actor: Actor | null) => ({ subject: 's', actor });

  it('refuses citizens and anonymous callers every read, before any I/O', async () => {
    const indicators = new IndicatorsHandlers(untouchable<IndicatorsService>('indicators'));
    const budget = new BudgetHandlers(untouchable<BudgetService>('budget'));
    const validation = new ValidationHandlers(untouchable<ValidationService>('validation'));
    const signOff = new SignOffHandlers(untouchable<SignOffService>('signOff'));
    const dashboards = new DashboardsHandlers(untouchable<DashboardsService>('dashboards'));
    for (const actor of [citizen, null]) {
      await domainErrorOf(indicators.list({}, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(indicators.evaluate({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(budget.get({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(budget.execution({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(validation.run({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(validation.rules({}, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(validation.statedFigures({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(signOff.status({ year: 2023 }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(dashboards.series({ year: 2023, element: 'dibao.paid' }, ctx(actor)), 'FORBIDDEN');
      await domainErrorOf(dashboards.townships({ year: 2023, element: 'dibao.paid' }, ctx(actor)), 'FORBIDDEN');
    }
  });

  it('reports a year without a budget as NOT_FOUND', async () => {
    const handlers = new BudgetHandlers({ execution: async () => null } as unknown as BudgetService);
    await domainErrorOf(handlers.execution({ year: 2031 }, ctx({ userId: 'a', kind: 'staff', roles: ['auditor'], divisions: [] })), 'NOT_FOUND');
  });
});
