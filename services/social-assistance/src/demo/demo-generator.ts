/**
 * Carries out the 2023 demo plan through the service's own domain code: households are
 * registered and their incomes recorded, the opening caseload is imported, 2023's applications go
 * through every step of the workflow with the benefit previewed from the rules, reviews are
 * scheduled and decided month by month, 特困 persons are enrolled and their deaths recorded,
 * temporary assistance is granted and ratified or applied for and approved, charity is recorded,
 * and each month's payrolls are run. Nothing is written behind the services' backs, so every event
 * reporting needs is in the outbox.
 */
import { Period, addDays } from '@civil/domain-kernel';
import type { Actor, HouseholdView } from '@civil/contracts';
import { PersonalDataCipher, type Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { CalendarService } from '../calendar/calendar.service';
import { CharityService } from '../charity/charity.service';
import { BenefitPreviewService } from '../dibao/benefit-preview.service';
import { CaseloadImportService } from '../dibao/caseload-import.service';
import { DibaoApplicationsService } from '../dibao/dibao-applications.service';
import { perCapitaMonthlyLevel } from '../dibao/domain/benefit';
import { HouseholdsService } from '../households/households.service';
import { PayrollService } from '../payroll/payroll.service';
import { DibaoReviewsService } from '../reviews/dibao-reviews.service';
import { TekunService } from '../tekun/tekun.service';
import { computeTekunAmount } from '../tekun/tekun.domain';
import { TemporaryAssistanceService } from '../temporary-assistance/temporary-assistance.service';
import { TAKE_OVER_DATE, planDemo2023, type DemoPlan, type DemoRules, type PlannedDibaoHousehold, type PlannedHousehold } from './demo-plan';
import { SEED_2023 } from './seed-2023';

const DISTRICT = ['430503000000'];
const clerk: Actor = { userId: 'demo-clerk', kind: 'staff', roles: ['clerk'], divisions: DISTRICT };
const reviewer: Actor = { userId: 'demo-township-reviewer', kind: 'staff', roles: ['township-reviewer'], divisions: DISTRICT };
const approver: Actor = { userId: 'demo-district-approver', kind: 'staff', roles: ['district-approver'], divisions: DISTRICT };
/** A caseworker of the district office for temporary assistance, who may decide at either level. */
const caseworker: Actor = { userId: 'demo-caseworker', kind: 'staff', roles: ['clerk', 'township-reviewer', 'district-approver'], divisions: DISTRICT };

const YEAR = SEED_2023.year;
const monthEnd = (month: number): string => Period.of(YEAR, month).lastDay();

/** Runs `work` over `items` with at most `concurrency` in flight, in order of start. */
async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export interface DemoAggregates {
  dibao: {
    newHouseholds: number;
    newPersons: number;
    stoppedHouseholds: number;
    stoppedPersons: number;
    yearEnd: Record<'urban' | 'rural', { households: number; persons: number }>;
    paidFen: Record<'urban' | 'rural', number>;
    perCapitaLevelFen: Record<'urban' | 'rural', number>;
  };
  tekun: { persons: number; centralized: number; dispersed: number; paidFen: number; funeralSubsidies: number };
  temporary: { personTimes: number; amountFen: number };
  charity: { fundsFen: number; householdsVisited: number; activities: number; goodsDistributedFen: number; personsServed: number };
}

export class DemoGenerator {
  private readonly households: HouseholdsService;
  private readonly applications: DibaoApplicationsService;
  private readonly benefit: BenefitPreviewService;
  private readonly caseload: CaseloadImportService;
  private readonly reviews: DibaoReviewsService;
  private readonly payroll: PayrollService;
  private readonly tekun: TekunService;
  private readonly temporary: TemporaryAssistanceService;
  private readonly charity: CharityService;
  private readonly calendar: CalendarService;

  constructor(
    private readonly dataSource: DataSource,
    outbox: Outbox,
    private readonly logger: Logger,
    private readonly concurrency = 4,
    private readonly cipher: PersonalDataCipher = PersonalDataCipher.fromEnvironment(process.env),
  ) {
    this.calendar = new CalendarService(dataSource);
    this.households = new HouseholdsService(outbox, dataSource, cipher);
    this.applications = new DibaoApplicationsService(outbox, this.calendar, dataSource, cipher);
    this.benefit = new BenefitPreviewService(dataSource);
    this.caseload = new CaseloadImportService(outbox, dataSource);
    this.reviews = new DibaoReviewsService(outbox, dataSource);
    this.payroll = new PayrollService(outbox, dataSource, cipher);
    this.tekun = new TekunService(outbox, dataSource, cipher);
    this.temporary = new TemporaryAssistanceService(outbox, dataSource, cipher);
    this.charity = new CharityService(outbox, dataSource);
  }

  /** The demo rules as the plan needs them, read from the rule tables in force in the demo year. */
  async rules(): Promise<DemoRules> {
    const on = TAKE_OVER_DATE;
    const standards = await this.dataSource.query<{ urban_rural: 'urban' | 'rural'; monthly_standard_fen: string; floor_bp: number }[]>(
      `SELECT urban_rural, monthly_standard_fen, floor_bp FROM rule_dibao_standard WHERE division_code = '430503000000' AND effective_from <= $1 AND (effective_to IS NULL OR effective_to > $1)`,
      [on],
    );
    const standard = (u: 'urban' | 'rural'): { fen: number; floorBp: number } => {
      const row = standards.find((s) => s.urban_rural === u);
      if (!row) throw new Error(`no ${u} 低保 standard on ${on}`);
      return { fen: Number(row.monthly_standard_fen), floorBp: row.floor_bp };
    };
    const [minor] = await this.dataSource.query<{ topup_bp: number }[]>(
      `SELECT topup_bp FROM rule_classification_topup WHERE division_code = '430503000000' AND classification = 'minor' AND effective_from <= $1 AND (effective_to IS NULL OR effective_to > $1)`,
      [on],
    );
    const [tekun] = await this.dataSource.query<
      { basic_multiple_bp: number; care_full_bp: number; care_partial_bp: number; care_none_bp: number; centralized_care_bonus_bp: number; deposit_limit_months: number; funeral_subsidy_fen: string }[]
    >(`SELECT * FROM rule_tekun_standard WHERE division_code = '430503000000' AND effective_from <= $1 AND (effective_to IS NULL OR effective_to > $1)`, [on]);
    const [wage] = await this.dataSource.query<{ monthly_fen: string }[]>(
      `SELECT monthly_fen FROM rule_minimum_wage WHERE division_code = '430503000000' AND effective_from <= $1 ORDER BY effective_from DESC LIMIT 1`,
      [`${YEAR - 1}-12-31`],
    );
    const [temporary] = await this.dataSource.query<{ cap_multiple_bp: number }[]>(
      `SELECT cap_multiple_bp FROM rule_temporary_assistance WHERE division_code = '430503000000' AND effective_from <= $1 AND (effective_to IS NULL OR effective_to > $1)`,
      [on],
    );
    if (!minor || !tekun || !wage || !temporary) throw new Error(`the demo rules for ${YEAR} are not all seeded`);
    const tekunRule = {
      basicMultipleBp: tekun.basic_multiple_bp,
      careBp: { full: tekun.care_full_bp, partial: tekun.care_partial_bp, none: tekun.care_none_bp },
      centralizedCareBonusBp: tekun.centralized_care_bonus_bp,
      depositLimitMonths: tekun.deposit_limit_months,
      funeralSubsidyFen: Number(tekun.funeral_subsidy_fen),
    };
    return {
      dibaoStandardFen: { urban: standard('urban').fen, rural: standard('rural').fen },
      dibaoFloorBp: { urban: standard('urban').floorBp, rural: standard('rural').floorBp },
      minorTopUpBp: minor.topup_bp,
      temporaryCapBp: temporary.cap_multiple_bp,
      tekunAmountFen: (urbanRural, careMode, selfCareLevel) =>
        computeTekunAmount({ dibaoStandardFen: standard(urbanRural).fen, minimumWageFen: Number(wage.monthly_fen), rule: tekunRule, careMode, selfCareLevel }).monthlyAmountFen,
    };
  }

  async generate(): Promise<DemoAggregates> {
    const [existing] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM household`);
    if ((existing?.n ?? 0) > 0) throw new Error('the demo data set goes into an empty social-assistance database');
    await this.calendar.reload();
    const plan = planDemo2023(await this.rules());
    this.logger.info({ dibao: plan.dibao.length, tekun: plan.tekun.length, temporary: plan.temporary.length }, 'demo plan ready');

    const householdIds = await this.registerDibaoHouseholds(plan);
    await this.importOpening(plan, householdIds);
    await this.registerTekunPersons(plan);
    const caseHouseholds = new Map<string, PlannedDibaoHousehold>(plan.dibao.map((h, i) => [householdIds[i] ?? '', h]));
    for (let month = 1; month <= 12; month++) {
      await this.newApplications(plan, householdIds, month);
      await this.tekunChanges(plan, month);
      await this.reviewMonth(caseHouseholds, month);
      await this.temporaryAssistance(plan, householdIds, month);
      const period = Period.of(YEAR, month).toString();
      await this.payroll.run(period, 'dibao', approver);
      await this.payroll.run(period, 'tekun', approver);
      this.logger.info({ period }, 'demo month done');
    }
    await this.recordCharity();
    return demoAggregates(this.dataSource, YEAR);
  }

  private async register(household: PlannedHousehold): Promise<HouseholdView> {
    return this.households.register(
      { divisionCode: household.divisionCode, urbanRural: household.urbanRural, address: household.address, members: household.members.map((m) => ({ name: m.name, residentId: m.residentId, relationship: m.relationship })) },
      clerk,
    );
  }

  private async registerDibaoHouseholds(plan: DemoPlan): Promise<string[]> {
    const ids: string[] = new Array<string>(plan.dibao.length);
    await inPool(plan.dibao, this.concurrency, async (planned, index) => {
      // The registration's view already lists the members: no second read for the head's id.
      const view = await this.register(planned.household);
      const householdId = view.id;
      ids[index] = householdId;
      const head = view.members.find((m) => m.relationship === 'head');
      if (!head) throw new Error(`household ${householdId} has no head`);
      await this.households.recordIncome(
        { householdId, memberId: head.id, kind: planned.income.kind, monthlyAmountFen: planned.income.monthlyAmountFen, source: planned.income.kind === 'pension' ? '人社 养老金' : '家庭经济状况核对', asOf: planned.income.asOf },
        clerk,
      );
    });
    this.logger.info({ households: ids.length }, 'demo households registered');
    return ids;
  }

  private async importOpening(plan: DemoPlan, householdIds: readonly string[]): Promise<void> {
    await inPool(plan.dibao, this.concurrency, async (planned, index) => {
      if (planned.plan.origin !== 'opening') return;
      await this.caseload.importCase(
        {
          householdId: householdIds[index] ?? '',
          coveredPersons: planned.household.members.length,
          monthlyAmountFen: planned.monthlyAmountFen,
          startPeriod: planned.plan.startPeriod,
          lastReviewedOn: planned.plan.lastReviewedOn,
          legacyReference: `DB${String(index + 1).padStart(6, '0')}`,
        },
        approver,
        TAKE_OVER_DATE,
      );
    });
  }

  private async registerTekunPersons(plan: DemoPlan): Promise<void> {
    await inPool(plan.tekun, this.concurrency, async (person, index) => {
      await this.register(person.household);
      if (person.origin !== 'opening') return;
      const residentId = person.household.members[0]?.residentId ?? '';
      await this.tekun.importOpening(
        {
          residentId,
          careMode: person.careMode,
          selfCareLevel: person.selfCareLevel,
          ...(person.institutionName === undefined ? {} : { institutionName: person.institutionName }),
          startPeriod: Period.of(2015 + (index % 8), 1 + (index % 12)).toString(),
          legacyReference: `TK${String(index + 1).padStart(5, '0')}`,
        },
        approver,
        TAKE_OVER_DATE,
      );
    });
  }

  /** 2023's applications approved this month, each through every step of the workflow. */
  private async newApplications(plan: DemoPlan, householdIds: readonly string[], month: number): Promise<void> {
    const due = plan.dibao.flatMap((planned, index) => (planned.plan.origin === 'new' && planned.plan.startMonth - 1 === month ? [{ planned, index }] : []));
    await inPool(due, this.concurrency, async ({ planned, index }) => {
      if (planned.plan.origin !== 'new') return;
      const householdId = householdIds[index] ?? '';
      const d0 = planned.plan.submitOn;
      const application = await this.applications.submit(householdId, clerk, d0);
      const id = application.id;
      await this.applications.act(id, 'accept', {}, clerk, d0);
      await this.applications.act(id, 'record-survey', { investigators: ['社区专干', '乡镇民政专干'], findings: '入户调查：家庭成员、收入与财产情况与申报一致' }, clerk, addDays(d0, 2));
      await this.applications.act(id, 'record-verification', { reportId: `核对报告 ${id.slice(0, 8)}（演示数据）` }, clerk, addDays(d0, 3));
      await this.applications.act(id, 'record-democratic-review', { attendees: 9, outcome: 'agree', notes: '民主评议通过' }, reviewer, addDays(d0, 5));
      await this.applications.act(id, 'township-audit', { passed: true, opinion: '审核通过，予以公示' }, reviewer, addDays(d0, 7));
      const preview = await this.benefit.preview(id, approver, planned.plan.approveOn);
      if (preview.monthlyAmountFen !== planned.monthlyAmountFen) {
        throw new Error(`the benefit rules give ${preview.monthlyAmountFen} fen to household ${householdId}, the plan expected ${planned.monthlyAmountFen}`);
      }
      await this.applications.act(id, 'approve', { monthlyAmountFen: preview.monthlyAmountFen, coveredPersons: planned.household.members.length }, approver, planned.plan.approveOn);
    });
  }

  private async tekunChanges(plan: DemoPlan, month: number): Promise<void> {
    const enrolments = plan.tekun.filter((p) => p.origin === 'enrolled' && p.decisionMonth === month);
    await inPool(enrolments, this.concurrency, async (person) => {
      const decisionDate = `${YEAR}-${String(month).padStart(2, '0')}-15`;
      await this.tekun.enrol(
        {
          residentId: person.household.members[0]?.residentId ?? '',
          livesOnOwnLabour: false,
          legalSupporters: { status: 'none', detail: '' },
          careMode: person.careMode,
          selfCareLevel: person.selfCareLevel,
          ...(person.institutionName === undefined ? {} : { institutionName: person.institutionName }),
          decisionDate,
        },
        approver,
        decisionDate,
      );
    });
    const deaths = plan.tekun.filter((p) => p.deathMonth === month);
    await inPool(deaths, this.concurrency, async (person) => {
      const [row] = await this.dataSource.query<{ member_id: string }[]>(`SELECT id AS member_id FROM household_member WHERE resident_id_hash = $1`, [
        this.cipher.lookupHash(person.household.members[0]?.residentId ?? ''),
      ]);
      const dateOfDeath = `${YEAR}-${String(month).padStart(2, '0')}-10`;
      await this.tekun.end({ personId: row?.member_id ?? '', reason: 'death', detail: '死亡医学证明（演示数据）', dateOfDeath, decisionDate: addDays(dateOfDeath, 5) }, approver, addDays(dateOfDeath, 5));
    });
  }

  /** The month's reviews: scheduled by the rules, then stopped where the plan says, continued elsewhere. */
  private async reviewMonth(caseHouseholds: ReadonlyMap<string, PlannedDibaoHousehold>, month: number): Promise<void> {
    const dueBy = monthEnd(month);
    await this.reviews.schedule(dueBy, approver);
    const { items } = await this.reviews.listDue(dueBy, approver);
    const decidedOn = `${YEAR}-${String(month).padStart(2, '0')}-26`;
    await inPool(items, this.concurrency, async (review) => {
      const planned = caseHouseholds.get(review.householdId);
      const stop = planned?.plan.origin === 'opening' && planned.plan.stopMonth === month;
      await this.reviews.decide(
        stop && planned.plan.origin === 'opening'
          ? { reviewId: review.id, outcome: 'stop', reason: planned.plan.stopReason ?? '不再符合条件' }
          : { reviewId: review.id, outcome: 'continue', reason: '年度复核：家庭经济状况无明显变化' },
        approver,
        decidedOn,
      );
    });
  }

  private async temporaryAssistance(plan: DemoPlan, householdIds: readonly string[], month: number): Promise<void> {
    const prefix = `${YEAR}-${String(month).padStart(2, '0')}`;
    const cases = plan.temporary.filter((c) => c.onDate.startsWith(prefix));
    await inPool(cases, this.concurrency, async (c) => {
      const input = { householdId: householdIds[c.dibaoHouseholdIndex] ?? '', cause: c.cause, persons: c.persons, amountFen: c.amountFen };
      if (c.kind === 'emergency') {
        const granted = await this.temporary.grantEmergency(input, caseworker, c.onDate);
        await this.temporary.act(granted.id, 'add-documents', { documents: ['医院诊断证明或受灾证明', '身份证及户口簿复印件'] }, caseworker, c.onDate);
        await this.temporary.act(granted.id, 'ratify', { opinion: '材料齐全，予以追认' }, caseworker, c.onDate);
      } else {
        const applied = await this.temporary.apply(input, caseworker, c.onDate);
        await this.temporary.act(applied.id, 'review', { findings: '医疗/教育支出票据核实无误' }, caseworker, c.onDate);
        await this.temporary.act(applied.id, 'approve', { opinion: '同意救助' }, caseworker, c.onDate);
      }
    });
  }

  /** The year's charity: the pooled funds, the festival visits, the campaigns and their activities. */
  private async recordCharity(): Promise<void> {
    const district = '430503000000';
    await this.charity.recordDonation({ donorKind: 'organisation', donorName: '大祥区财政局（统筹资金）', kind: 'money', amountFen: 250_000_000, receiptNumber: 'CS2023-0001', receivedOn: '2023-01-05', divisionCode: district }, clerk);
    await this.charity.recordDonation({ donorKind: 'organisation', donorName: '爱心企业联合捐赠', kind: 'money', amountFen: 52_126_000, receiptNumber: 'CS2023-0002', receivedOn: '2023-01-10', divisionCode: district }, clerk);
    const goodness = await this.charity.createCampaign({ name: '携手做慈善，传播真善美', kind: 'other', divisionCode: district, startsOn: '2023-03-01', endsOn: '2023-12-31' }, clerk);
    const charityDay = await this.charity.createCampaign({ name: '第七个“中华慈善日”主题活动', kind: 'charity-day', divisionCode: district, startsOn: '2023-09-01', endsOn: '2023-09-10' }, clerk);
    await this.charity.recordDonation(
      { campaignId: goodness.id, donorKind: 'organisation', donorName: '邵阳市慈善总会（上级下拨）', kind: 'goods', goodsDescription: '米、油、棉被等爱心物资', quantity: 310, valueFen: 1_562_000, receiptNumber: 'CS2023-0003', receivedOn: '2023-03-02' },
      clerk,
    );
    await this.charity.recordDonation({ campaignId: charityDay.id, donorKind: 'anonymous', kind: 'money', amountFen: 1_200_000, receiptNumber: 'CS2023-0004', receivedOn: '2023-09-05' }, clerk);

    const townships = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010', '011', '101', '202', '203'];
    // Spring Festival visits from the pooled fund, in every township: 4,7xx households, 500元 each.
    let visited = 0;
    for (const [i, township] of townships.entries()) {
      const households = 336 + ((i * 7) % 13);
      visited += households;
      await this.charity.recordActivity(
        { kind: 'visit', title: `${YEAR}年春节走访慰问（${township}）`, divisionCode: `430503${township}000`, heldOn: `2023-01-${String(12 + (i % 10)).padStart(2, '0')}`, householdsVisited: households, fundsDistributedFen: households * 50_000 },
        clerk,
      );
    }
    await this.charity.recordActivity({ campaignId: goodness.id, kind: 'distribution', title: '爱心物资发放', divisionCode: district, heldOn: '2023-03-15', personsServed: 156, goodsDistributedValueFen: 1_538_000 }, clerk);
    for (let i = 0; i < 5; i++) {
      await this.charity.recordActivity({ campaignId: goodness.id, kind: 'volunteer-service', title: `“携手做慈善，传播真善美”志愿服务（第${i + 1}场）`, divisionCode: district, heldOn: `2023-${String(4 + i).padStart(2, '0')}-20`, personsServed: 38 + i }, clerk);
    }
    await this.charity.recordActivity({ campaignId: charityDay.id, kind: 'fundraising', title: '“中华慈善日”募捐与宣传活动', divisionCode: district, heldOn: '2023-09-05', personsServed: 62, fundsDistributedFen: 1_200_000 }, clerk);
    this.logger.info({ visited }, 'demo charity recorded');
  }
}

/**
 * The year's figures as the annual report states them, read from the service's own records: cases
 * approved and stopped in the year, the December payroll for the year-end stock, the twelve
 * payrolls for amounts paid, cases granted in the year, and the charity summary.
 */
export async function demoAggregates(dataSource: DataSource, year: number): Promise<DemoAggregates> {
  const from = `${year}-01-01`;
  const to = `${year + 1}-01-01`;
  const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => dataSource.query<T[]>(sql, params);
  const [added] = await q<{ households: number; persons: number }>(
    `SELECT count(*)::int AS households, COALESCE(sum(c.covered_persons), 0)::int AS persons
       FROM dibao_case c JOIN dibao_application_action a ON a.application_id = c.application_id AND a.action = 'approve'
      WHERE a.on_date >= $1 AND a.on_date < $2`,
    [from, to],
  );
  const [stopped] = await q<{ households: number; persons: number }>(
    `SELECT count(*)::int AS households, COALESCE(sum(c.covered_persons), 0)::int AS persons
       FROM dibao_review r JOIN dibao_case c ON c.id = r.case_id
      WHERE r.outcome = 'stop' AND r.decided_on >= $1 AND r.decided_on < $2`,
    [from, to],
  );
  const december = `${year}-12`;
  const yearEndRows = await q<{ urban_rural: 'urban' | 'rural'; households: number; persons: number }>(
    `SELECT urban_rural, count(*)::int AS households, sum(persons)::int AS persons FROM payment_line WHERE programme = 'dibao' AND period = $1 GROUP BY urban_rural`,
    [december],
  );
  const paidRows = await q<{ urban_rural: 'urban' | 'rural'; amount: string; person_months: number }>(
    `SELECT urban_rural, sum(amount_fen)::text AS amount, sum(persons)::int AS person_months
       FROM payment_line WHERE programme = 'dibao' AND period BETWEEN $1 AND $2 GROUP BY urban_rural`,
    [`${year}-01`, december],
  );
  const byClass = <T>(rows: (T & { urban_rural: 'urban' | 'rural' })[], u: 'urban' | 'rural'): T | undefined => rows.find((r) => r.urban_rural === u);
  const level = (u: 'urban' | 'rural'): number => {
    const row = byClass(paidRows, u);
    return row && row.person_months > 0 ? perCapitaMonthlyLevel(Number(row.amount), row.person_months) : 0;
  };
  const [tekunYearEnd] = await q<{ persons: number; centralized: number; dispersed: number }>(
    `SELECT count(*)::int AS persons, count(*) FILTER (WHERE t.care_mode = 'centralized')::int AS centralized, count(*) FILTER (WHERE t.care_mode = 'dispersed')::int AS dispersed
       FROM payment_line l JOIN tekun_person t ON t.id = l.source_id WHERE l.programme = 'tekun' AND l.period = $1`,
    [december],
  );
  const [tekunPaid] = await q<{ amount: string }>(`SELECT COALESCE(sum(amount_fen), 0)::text AS amount FROM payment_line WHERE programme = 'tekun' AND period BETWEEN $1 AND $2`, [`${year}-01`, december]);
  const [funerals] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM tekun_funeral_subsidy WHERE granted_on >= $1 AND granted_on < $2`, [from, to]);
  const [temporary] = await q<{ persons: number; amount: string }>(
    `SELECT COALESCE(sum(c.persons), 0)::int AS persons, COALESCE(sum(c.amount_fen), 0)::text AS amount
       FROM temporary_assistance_case c
      WHERE EXISTS (SELECT 1 FROM temporary_assistance_action a WHERE a.case_id = c.id AND a.action IN ('grant-emergency', 'approve') AND a.on_date >= $1 AND a.on_date < $2)`,
    [from, to],
  );
  const [charity] = await q<{ funds: string; households: number; activities: number; goods_out: string; persons: number }>(
    `SELECT (SELECT COALESCE(sum(amount_fen), 0) FROM charity_donation WHERE received_on >= $1 AND received_on < $2)::text AS funds,
            (SELECT COALESCE(sum(households_visited), 0) FROM charity_activity WHERE held_on >= $1 AND held_on < $2)::int AS households,
            (SELECT count(*) FROM charity_activity WHERE held_on >= $1 AND held_on < $2)::int AS activities,
            (SELECT COALESCE(sum(goods_distributed_value_fen), 0) FROM charity_activity WHERE held_on >= $1 AND held_on < $2)::text AS goods_out,
            (SELECT COALESCE(sum(persons_served), 0) FROM charity_activity WHERE held_on >= $1 AND held_on < $2)::int AS persons`,
    [from, to],
  );
  const stock = (u: 'urban' | 'rural'): { households: number; persons: number } => ({ households: byClass(yearEndRows, u)?.households ?? 0, persons: byClass(yearEndRows, u)?.persons ?? 0 });
  return {
    dibao: {
      newHouseholds: added?.households ?? 0,
      newPersons: added?.persons ?? 0,
      stoppedHouseholds: stopped?.households ?? 0,
      stoppedPersons: stopped?.persons ?? 0,
      yearEnd: { urban: stock('urban'), rural: stock('rural') },
      paidFen: { urban: Number(byClass(paidRows, 'urban')?.amount ?? 0), rural: Number(byClass(paidRows, 'rural')?.amount ?? 0) },
      perCapitaLevelFen: { urban: level('urban'), rural: level('rural') },
    },
    tekun: {
      persons: tekunYearEnd?.persons ?? 0,
      centralized: tekunYearEnd?.centralized ?? 0,
      dispersed: tekunYearEnd?.dispersed ?? 0,
      paidFen: Number(tekunPaid?.amount ?? 0),
      funeralSubsidies: funerals?.n ?? 0,
    },
    temporary: { personTimes: temporary?.persons ?? 0, amountFen: Number(temporary?.amount ?? 0) },
    charity: {
      fundsFen: Number(charity?.funds ?? 0),
      householdsVisited: charity?.households ?? 0,
      activities: charity?.activities ?? 0,
      goodsDistributedFen: Number(charity?.goods_out ?? 0),
      personsServed: charity?.persons ?? 0,
    },
  };
}
