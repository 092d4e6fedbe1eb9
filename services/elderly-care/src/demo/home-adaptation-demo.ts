/**
 * The home-adaptation part of the 2023 demo: 66 households adapted and paid in 2023 against the
 * target of 66, each subsidy within 3000–4000元 (the basic items of the plan), through the
 * service's whole workflow (application → assessment → plan → works → 验收 → payment), two of
 * them failing 验收 once. Around them: a few applications refused (withdrawn by the household) and
 * a few still under works at year end, when enough eligible people are known.
 *
 * Eligibility rests on social assistance's status as elderly care knows it from its events (the
 * read model AssistanceStatusConsumer keeps): the older members chosen are 80 or over (from the
 * resident ID) and members of a 低保 household or 特困 分散供养 in the application's month. In the
 * real run the social-assistance demo has run first and its events are reaching this service, so
 * this waits (bounded) for the read model; when too few are known by then, the rest are 脱贫
 * households declared with their evidence, as the service allows.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { ResidentId, addDays, buildResidentId } from '@civil/domain-kernel';
import { DomainError, type AdaptationItem } from '@civil/contracts';
import type { Outbox, PersonalDataCipher } from '@civil/platform';
import { HomeAdaptationService } from '../home-adaptation/home-adaptation.service';
import { OFFICER, TOWNSHIPS, inPool, intBetween, olderName, pick, seededRng, weekdayAfter, weekdayOnOrAfter, type Rng } from './demo-support';
import { SEED_2023 } from './seed-2023';

const YEAR = SEED_2023.year;
/** Applications from February to September, so every case is paid within the year. */
const FIRST_APPLICATION = `${YEAR}-02-01`;
const LAST_APPLICATION = `${YEAR}-09-15`;
const REFUSED = 3;
const OPEN_AT_YEAR_END = 3;

/** An older person the read model says qualifies: 80 or over, 低保 or 特困 分散 all through January–November. */
export interface EligibleOlderPerson {
  residentId: string;
  divisionCode: string;
  basis: 'dibao' | 'dispersed-tekun' | 'formerly-poor';
  /** For 脱贫 only: the declaration's reference. */
  evidence?: string;
}

/**
 * One per household: members of 低保 households and 特困 persons cared for at home, born 1942 or
 * earlier (80 or over all through 2023), in support from January at the latest through November.
 * The read models keep each number as hash, ciphertext and birth date: the birth date and the
 * hashes select in SQL, the numbers are decrypted here (a 低保 household is represented by its
 * member with the lowest resident ID, as before the numbers were encrypted).
 */
export async function eligibleOlderPeople(dataSource: DataSource, cipher: PersonalDataCipher): Promise<EligibleOlderPerson[]> {
  const born = `${YEAR - 80}-12-31`;
  const from = `${YEAR}-01`;
  // Through November: the cases still open at year end are applied for then.
  const to = `${YEAR}-11`;
  const rows = await dataSource.query<{ household_id: string | null; resident_id_enc: string; division_code: string; basis: 'dibao' | 'dispersed-tekun' }[]>(
    `SELECT c.household_id::text AS household_id, m.resident_id_enc, c.division_code, 'dibao' AS basis
       FROM assistance_dibao_member_view m JOIN assistance_dibao_case_view c ON c.case_id = m.case_id
      WHERE c.first_period <= $2 AND (c.until_period IS NULL OR c.until_period > $3)
        AND m.resident_id_enc IS NOT NULL AND m.birth_date <= $1::date
     UNION ALL
     SELECT NULL, t.resident_id_enc, t.division_code, 'dispersed-tekun'
       FROM assistance_tekun_view t
      WHERE t.care_mode = 'dispersed' AND t.resident_id_enc IS NOT NULL AND t.first_period <= $2 AND (t.until_period IS NULL OR t.until_period > $3)
        AND t.birth_date <= $1::date
        AND NOT EXISTS (SELECT 1 FROM assistance_dibao_member_view m WHERE m.resident_id_hash = t.resident_id_hash)`,
    [born, from, to],
  );
  const decrypted = rows.map((r) => ({ ...r, resident_id: cipher.decrypt(r.resident_id_enc) }));
  // Per 低保 household, the member with the lowest resident ID.
  const households = new Map<string, (typeof decrypted)[number]>();
  for (const r of decrypted) {
    if (r.household_id === null) continue;
    const kept = households.get(r.household_id);
    if (kept === undefined || r.resident_id < kept.resident_id) households.set(r.household_id, r);
  }
  // A person in both lists once; deterministic order (by resident ID).
  const seen = new Set<string>();
  const byHousehold = [...households.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  return [...byHousehold, ...decrypted.filter((r) => r.household_id === null)]
    .filter((r) => r.division_code.startsWith('430503') && !seen.has(r.resident_id) && seen.add(r.resident_id) !== undefined)
    .sort((a, b) => a.resident_id.localeCompare(b.resident_id))
    .map((r) => ({ residentId: r.resident_id, divisionCode: r.division_code, basis: r.basis }));
}

/**
 * Waits until the read model knows `needed` eligible people and has not changed for `settleMs`
 * (the stream has caught up), or until the count has not grown for `quietMs` (the events are all
 * in), or until `timeoutMs`: returns what it knows then (perhaps fewer than needed).
 */
export async function waitForEligibleOlderPeople(
  dataSource: DataSource,
  cipher: PersonalDataCipher,
  needed: number,
  logger: Logger,
  timeoutMs: number,
  { settleMs = 15_000, quietMs = 60_000, pollMs = 3000 }: { settleMs?: number; quietMs?: number; pollMs?: number } = {},
): Promise<EligibleOlderPerson[]> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  let grewAt = Date.now();
  for (;;) {
    const people = await eligibleOlderPeople(dataSource, cipher);
    if (people.length !== previous) grewAt = Date.now();
    if (people.length >= needed && people.length === previous && Date.now() - grewAt >= settleMs) return people;
    if (Date.now() >= deadline || (people.length > 0 && people.length === previous && Date.now() - grewAt >= quietMs)) return people;
    logger.info({ known: people.length, needed }, 'demo: waiting for social assistance’s 低保 and 特困 events');
    previous = people.length;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** 脱贫 households declared with evidence: older members of 80–95, for the cases the read model cannot fill. */
export function formerlyPoorPeople(count: number): EligibleOlderPerson[] {
  const rng = seededRng(20230066);
  const rural = TOWNSHIPS.filter((t) => ['430503101000', '430503202000', '430503203000', '430503010000', '430503011000'].includes(t.code));
  return Array.from({ length: count }, (_, i) => {
    const birthDate = `${YEAR - intBetween(rng, 81, 95)}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-${String(intBetween(rng, 1, 28)).padStart(2, '0')}`;
    const township = pick(rng, rural);
    return {
      residentId: buildResidentId('430503', birthDate, 500 + i).value,
      divisionCode: `${township.code.slice(0, 9)}${String(200 + (i % 20)).padStart(3, '0')}`,
      basis: 'formerly-poor',
      evidence: `乡村振兴部门脱贫户认定名单 ${YEAR - 3}-${String(100 + i)}`,
    };
  });
}

const BASIC_ITEMS = ['卫生间安装扶手', '地面防滑处理', '淋浴椅', '坐便器及助力扶手', '床边护栏', '夜间感应灯', '门槛移除与坡道', '适老化手杖', '防走失定位手环', '烟雾报警器', '燃气泄漏报警器'];
const OPTIONAL_ITEMS = ['适老化护理床', '轮椅', '智能紧急呼叫设备'];
const NEEDS = ['卫生间无扶手', '地面湿滑', '门槛高差8cm', '夜间起夜照明不足', '床边无支撑', '厨房无燃气报警'];
const CONTRACTORS = ['邵阳市安居适老化工程有限公司', '湖南康居无障碍设施有限公司', '大祥区宝庆建筑装饰工程部'];
const ASSESSORS = ['区民政局评估员 刘芳', '区民政局评估员 曾志明', '第三方评估机构 邵阳康养评估中心'];

/** Basic items adding up to a subsidy of 3000–4000元 in whole ten yuan; sometimes an optional item paid by the family. */
export function planItems(rng: Rng, minFen: number, maxFen: number): AdaptationItem[] {
  const subsidy = intBetween(rng, minFen / 1000, maxFen / 1000) * 1000;
  const count = intBetween(rng, 3, 5);
  const names = [...BASIC_ITEMS].sort(() => rng() - 0.5).slice(0, count);
  const weights = names.map(() => 1 + rng());
  const sum = weights.reduce((a, b) => a + b, 0);
  const amounts = weights.map((w) => Math.floor(((subsidy * w) / sum) / 100) * 100);
  amounts[amounts.length - 1] = subsidy - amounts.slice(0, -1).reduce((a, b) => a + b, 0);
  const items: AdaptationItem[] = names.map((name, i) => ({ name, category: 'basic', amountFen: amounts[i] ?? 0 }));
  if (rng() < 0.3) items.push({ name: pick(rng, OPTIONAL_ITEMS), category: 'optional', amountFen: intBetween(rng, 8, 30) * 10_000 });
  return items;
}

export interface HomeAdaptationDemoResult {
  completed: number;
  refused: number;
  openAtYearEnd: number;
  failedAcceptance: number;
  fromReadModel: number;
  formerlyPoor: number;
}

export async function generateHomeAdaptationDemo(
  dataSource: DataSource,
  outbox: Outbox,
  cipher: PersonalDataCipher,
  logger: Logger,
  options: { waitMs?: number; settleMs?: number; concurrency?: number } = {},
): Promise<HomeAdaptationDemoResult> {
  const service = new HomeAdaptationService(outbox, dataSource, cipher);
  const [rule] = await dataSource.query<{ min_subsidy_fen: number; max_subsidy_fen: number }[]>(
    `SELECT min_subsidy_fen, max_subsidy_fen FROM rule_home_adaptation WHERE division_code = '430503000000' AND effective_from <= $1 AND (effective_to IS NULL OR effective_to >= $2)`,
    [FIRST_APPLICATION, `${YEAR}-12-31`],
  );
  const minFen = Math.max(rule?.min_subsidy_fen ?? SEED_2023.homeAdaptation.minSubsidyFen, SEED_2023.homeAdaptation.minSubsidyFen);
  const maxFen = Math.min(rule?.max_subsidy_fen ?? SEED_2023.homeAdaptation.maxSubsidyFen, SEED_2023.homeAdaptation.maxSubsidyFen);
  const completed = SEED_2023.homeAdaptation.completed;
  const wanted = completed + REFUSED + OPEN_AT_YEAR_END;
  const known = await waitForEligibleOlderPeople(dataSource, cipher, wanted, logger, options.waitMs ?? 10 * 60_000, options.settleMs === undefined ? {} : { settleMs: options.settleMs });
  // Spread over the district: take every k-th person of the sorted list.
  const step = Math.max(1, Math.floor(known.length / wanted));
  const chosen = known.filter((_, i) => i % step === 0).slice(0, known.length >= wanted ? wanted : completed);
  // The others stand in for a chosen person whom a late event (a 低保 case stopped) made ineligible.
  const spares = known.filter((p) => !chosen.includes(p));
  let fromReadModel = chosen.length;
  if (chosen.length < completed) {
    logger.warn({ known: chosen.length, needed: completed }, 'demo: too few 低保/特困 older people known from social assistance’s events; declaring 脱贫 households for the rest');
    chosen.push(...formerlyPoorPeople(completed - chosen.length));
  }

  type Planned = { person: EligibleOlderPerson; appliedOn: string; outcome: 'completed' | 'refused' | 'open'; failsOnce: boolean; n: number };
  const span = (Date.parse(LAST_APPLICATION) - Date.parse(FIRST_APPLICATION)) / 86_400_000;
  const planned: Planned[] = chosen.map((person, n) => ({
    person,
    n,
    appliedOn: weekdayOnOrAfter(addDays(FIRST_APPLICATION, Math.floor((n * span) / chosen.length))),
    outcome: n < completed ? 'completed' : n < completed + REFUSED ? 'refused' : 'open',
    failsOnce: n === 10 || n === 40,
  }));
  // The cases still open at year end are applied for in the autumn.
  for (const p of planned) if (p.outcome === 'open') p.appliedOn = weekdayOnOrAfter(`${YEAR}-11-${String(6 + p.n % 10).padStart(2, '0')}`);

  let failedAcceptance = 0;
  const apply = async (person: EligibleOlderPerson, appliedOn: string, n: number): Promise<string> => {
    const township = TOWNSHIPS.find((t) => t.code.slice(0, 9) === person.divisionCode.slice(0, 9))?.name ?? '大祥区';
    const applied = await service.apply(
      {
        residentId: ResidentId.parse(person.residentId).value,
        name: olderName(700 + n),
        divisionCode: person.divisionCode,
        address: `大祥区${township}${person.divisionCode.slice(9)}号`,
        ...(person.basis === 'formerly-poor' ? { formerlyPoor: { evidence: person.evidence ?? '脱贫户认定' } } : {}),
        appliedOn,
      },
      OFFICER,
      appliedOn,
    );
    return applied.id;
  };
  await inPool(planned, options.concurrency ?? 4, async ({ person, appliedOn, outcome, failsOnce, n }) => {
    // Each case its own generator: the same data whatever order the pool runs them in.
    const rng = seededRng(20230032 + n);
    let id: string | undefined;
    for (let candidate: EligibleOlderPerson | undefined = person; id === undefined; ) {
      if (candidate === undefined) throw new Error('no eligible older person left for a home adaptation');
      try {
        id = await apply(candidate, appliedOn, n);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'NOT_ELIGIBLE')) throw error;
        logger.warn({ reason: error.message }, 'demo: a chosen older person is no longer eligible; taking another');
        candidate = spares.shift();
        if (candidate === undefined) {
          candidate = formerlyPoorPeople(100 + n).at(-1);
          fromReadModel--;
        }
      }
    }
    if (outcome === 'refused') {
      const refusedOn = weekdayAfter(rng, appliedOn, 5, 15);
      await service.refuse({ id, refusedOn, reason: '申请人家属表示自行改造，书面放弃申请' }, OFFICER, refusedOn);
      return;
    }
    const assessedOn = weekdayAfter(rng, appliedOn, 3, 8);
    await service.assess({ id, assessedOn, assessor: pick(rng, ASSESSORS), needs: [...NEEDS].sort(() => rng() - 0.5).slice(0, intBetween(rng, 2, 4)) }, OFFICER, assessedOn);
    const approvedOn = weekdayAfter(rng, assessedOn, 3, 8);
    await service.plan({ id, approvedOn, items: planItems(rng, minFen, maxFen) }, OFFICER, approvedOn);
    const contractor = pick(rng, CONTRACTORS);
    let startedOn = weekdayAfter(rng, approvedOn, 3, 10);
    let completedOn = weekdayAfter(rng, startedOn, 2, 10);
    if (outcome === 'open') {
      if (completedOn <= `${YEAR}-12-29`) await service.recordWorks({ id, contractor, startedOn, completedOn }, OFFICER, completedOn);
      return;
    }
    await service.recordWorks({ id, contractor, startedOn, completedOn }, OFFICER, completedOn);
    let inspectedOn = weekdayAfter(rng, completedOn, 2, 6);
    if (failsOnce) {
      await service.accept({ id, inspectedOn, result: 'failed', inspector: '区民政局养老服务股', remarks: '扶手安装高度不符合要求，需返工' }, OFFICER, inspectedOn);
      failedAcceptance++;
      startedOn = weekdayAfter(rng, inspectedOn, 2, 5);
      completedOn = weekdayAfter(rng, startedOn, 1, 3);
      await service.recordWorks({ id, contractor, startedOn, completedOn }, OFFICER, completedOn);
      inspectedOn = weekdayAfter(rng, completedOn, 2, 5);
    }
    await service.accept({ id, inspectedOn, result: 'passed', inspector: '区民政局养老服务股', remarks: '' }, OFFICER, inspectedOn);
    const paidOn = weekdayAfter(rng, inspectedOn, 5, 15);
    if (paidOn > `${YEAR}-12-29`) throw new Error(`case ${id} would be paid after the year (${paidOn})`);
    await service.pay({ id, paidOn, voucher: `大民财拨〔${YEAR}〕${String(n + 1).padStart(3, '0')}号` }, OFFICER, paidOn);
  });
  const result: HomeAdaptationDemoResult = {
    completed: planned.filter((p) => p.outcome === 'completed').length,
    refused: planned.filter((p) => p.outcome === 'refused').length,
    openAtYearEnd: planned.filter((p) => p.outcome === 'open').length,
    failedAcceptance,
    fromReadModel,
    formerlyPoor: chosen.length - fromReadModel,
  };
  logger.info(result, 'demo: home adaptations done');
  return result;
}
