import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Period, buildResidentId } from '@civil/domain-kernel';
import type { Actor, AllowanceEndReason, AllowanceProgramme, ParentCircumstance } from '@civil/contracts';
import type { Outbox, PersonalDataCipher } from '@civil/platform';
import { AllowancesService } from '../allowances/allowances.service';
import { environmentCipher } from '../resident-ids';
import { SEED_2023 } from './seed-2023';

export interface AllowanceDemoTotals {
  orphanFen: number;
  deFactoUnsupportedFen: number;
  disabilityLivingFen: number;
  disabilityCareFen: number;
}

/** One beneficiary's paid months in the year: from `first` to `last` (1–12). */
export interface PaidSpan {
  first: number;
  last: number;
}

const YEAR = SEED_2023.year;
const ACTOR: Actor = { userId: 'demo', kind: 'staff', roles: ['registrar'], divisions: ['430503'] };
const TOWNSHIPS = ['001', '002', '003', '004', '005', '006', '007', '008', '009', '010', '011', '101', '202', '203'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '桂英', '建华'];
const UNABLE: ParentCircumstance[] = ['imprisoned', 'severely-disabled', 'seriously-ill', 'compulsory-rehabilitation', 'guardianship-revoked', 'missing'];
const EARLY_END: AllowanceEndReason[] = ['adopted', 'parent-circumstances-changed', 'moved-away', 'died'];

/**
 * Person-months at the first half's rate (a) and the second half's (b) that pay exactly `totalFen`,
 * as even as possible: r1·a + r2·b = total. Throws when no whole solution exists.
 */
export function personMonths(totalFen: number, firstHalfRateFen: number, secondHalfRateFen: number): { a: number; b: number } {
  let best: { a: number; b: number } | undefined;
  for (let a = 0; a * firstHalfRateFen <= totalFen; a++) {
    const rest = totalFen - a * firstHalfRateFen;
    if (rest % secondHalfRateFen !== 0) continue;
    const b = rest / secondHalfRateFen;
    if (!best || Math.abs(a - b) < Math.abs(best.a - best.b)) best = { a, b };
  }
  if (!best) throw new Error(`${totalFen} fen cannot be paid in whole months at ${firstHalfRateFen} and ${secondHalfRateFen}`);
  return best;
}

/**
 * Spans that add up to a person-months in January–June and b in July–December: people paid all
 * year, then people who left during the first half (paid from January) and people who joined
 * during the second half (paid to December).
 */
export function spansFor(a: number, b: number): PaidSpan[] {
  const fullYear = Math.min(Math.floor(a / 6), Math.floor(b / 6));
  const spans: PaidSpan[] = Array.from({ length: fullYear }, () => ({ first: 1, last: 12 }));
  for (let left = a - 6 * fullYear; left > 0; left -= 6) spans.push({ first: 1, last: Math.min(6, left) });
  for (let left = b - 6 * fullYear; left > 0; left -= 6) spans.push({ first: 13 - Math.min(6, left), last: 12 });
  return spans;
}

/**
 * The allowance part of the 2023 demo: orphans, de-facto-unsupported children, living allowance
 * holders and care allowance holders enrolled through AllowancesService with spans that make the
 * year's twelve payrolls pay exactly the report's amounts at the standards in the rule table, then
 * the payrolls run. Living allowance holders are members of 低保 households as this service knows
 * them from social assistance's events, so the social-assistance demo must have run and its events
 * reached us; this waits for them (up to `waitForDibaoMembersMs`).
 */
export async function generateAllowanceDemo(
  dataSource: DataSource,
  outbox: Outbox,
  logger: Logger,
  options: { waitForDibaoMembersMs?: number; cipher?: PersonalDataCipher } = {},
): Promise<AllowanceDemoTotals> {
  const cipher = options.cipher ?? environmentCipher();
  const service = new AllowancesService(outbox, dataSource, cipher);
  const seed = SEED_2023.allowances;
  let sequence = 0;
  const nameOf = (n: number): string => `${SURNAMES[n % SURNAMES.length] ?? '王'}${GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length] ?? '明'}`;
  const division = (n: number): string => `430503${TOWNSHIPS[n % TOWNSHIPS.length] ?? '001'}000`;
  const decidedFor = (span: PaidSpan): string => Period.of(YEAR, span.first).previous().firstDay().replace(/-01$/, '-15');

  const endIfEarly = async (enrolmentId: string, span: PaidSpan, n: number): Promise<void> => {
    if (span.last === 12) return;
    await service.end({ enrolmentId, lastPeriod: Period.of(YEAR, span.last).toString(), reason: EARLY_END[n % EARLY_END.length] ?? 'other' }, ACTOR);
  };

  // Children: born 2007–2020, so under 18 all year.
  for (const programme of ['orphan', 'de-facto-unsupported'] as const) {
    const { a, b } = personMonths(programme === 'orphan' ? seed.orphanFen : seed.deFactoUnsupportedFen, ...(await halfYearRates(dataSource, programme, 0)));
    const spans = spansFor(a, b);
    await inBatches(spans, async (span) => {
      const n = sequence++;
      const residentId = buildResidentId('430503', `${2007 + (n % 14)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`, 500 + n).value;
      const other = UNABLE[n % UNABLE.length] ?? 'imprisoned';
      const enrolled = await service.enrolChild(
        {
          residentId,
          name: nameOf(n),
          divisionCode: division(n),
          father: programme === 'orphan' || n % 2 === 0 ? { circumstance: 'dead', evidence: `死亡证明 D${n}` } : parentIn(other, n),
          mother: programme === 'orphan' ? { circumstance: 'dead', evidence: `死亡证明 M${n}` } : parentIn(n % 2 === 0 ? other : 'severely-disabled', n),
          guardian: { name: nameOf(n + 7), relationship: n % 3 === 0 ? '祖母' : n % 3 === 1 ? '祖父' : '外祖母' },
          decidedOn: decidedFor(span),
        },
        ACTOR,
      );
      await endIfEarly(enrolled.id, span, n);
    });
  }

  // Care allowance: a thousand grade-1 holders all year, grade 2 for the rest of the amount.
  const [g1First, g1Second] = await halfYearRates(dataSource, 'disability-care', 1);
  const gradeOne = 1000;
  const care: { span: PaidSpan; grade: 1 | 2 }[] = Array.from({ length: gradeOne }, () => ({ span: { first: 1, last: 12 }, grade: 1 as const }));
  const g2 = personMonths(seed.disabilityCareFen - gradeOne * 6 * (g1First + g1Second), ...(await halfYearRates(dataSource, 'disability-care', 2)));
  for (const span of spansFor(g2.a, g2.b)) care.push({ span, grade: 2 });
  await inBatches(care, async ({ span, grade }) => {
    const n = sequence++;
    const residentId = buildResidentId('430503', `${1940 + (n % 60)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`, 500 + (n % 400)).value;
    const enrolled = await service.enrolDisability(
      { programme: 'disability-care', residentId, name: nameOf(n), divisionCode: division(n), certificateNumber: `${residentId}${1 + (n % 7)}${grade}`, decidedOn: decidedFor(span) },
      ACTOR,
    );
    await endIfEarly(enrolled.id, span, n);
  });

  // Living allowance: members of households on 低保 all year, as social assistance's events say.
  const living = personMonths(seed.disabilityLivingFen, ...(await halfYearRates(dataSource, 'disability-living', 0)));
  const livingSpans = spansFor(living.a, living.b);
  const members = (await waitForDibaoMembers(dataSource, livingSpans.length, options.waitForDibaoMembersMs ?? 10 * 60_000, logger)).map((m) => ({
    resident_id: cipher.decrypt(m.resident_id_enc),
    division_code: m.division_code,
  }));
  await inBatches(
    livingSpans.map((span, i) => ({ span, member: members[i] })),
    async ({ span, member }) => {
      if (!member) throw new Error('fewer 低保 members than living allowance holders');
      const n = sequence++;
      const enrolled = await service.enrolDisability(
        { programme: 'disability-living', residentId: member.resident_id, name: nameOf(n), divisionCode: member.division_code, certificateNumber: `${member.resident_id}${1 + (n % 7)}${1 + (n % 4)}`, decidedOn: decidedFor(span) },
        ACTOR,
      );
      await endIfEarly(enrolled.id, span, n);
    },
  );

  for (let month = 1; month <= 12; month++) {
    for (const programme of ['orphan', 'de-facto-unsupported', 'disability-living', 'disability-care'] as const) {
      await service.runPayroll({ period: Period.of(YEAR, month).toString(), programme }, ACTOR);
    }
  }
  const summary = await service.yearSummary(YEAR, ACTOR);
  const paid = (programme: AllowanceProgramme): number => summary.programmes.find((p) => p.programme === programme)?.amountFen ?? 0;
  return { orphanFen: paid('orphan'), deFactoUnsupportedFen: paid('de-facto-unsupported'), disabilityLivingFen: paid('disability-living'), disabilityCareFen: paid('disability-care') };
}

function parentIn(circumstance: ParentCircumstance, n: number): { circumstance: ParentCircumstance; since?: string; evidence: string } {
  return circumstance === 'missing' ? { circumstance, since: `${2019 + (n % 3)}-03-01`, evidence: `公安机关报案回执 ${n}` } : { circumstance, evidence: `证明材料 ${n}` };
}

/** The standard on 1 January and on 1 July of the year (province rows), which the spans assume are the only two. */
async function halfYearRates(dataSource: DataSource, programme: AllowanceProgramme, grade: number): Promise<[number, number]> {
  const rates: number[] = [];
  for (let month = 1; month <= 12; month++) {
    const day = Period.of(YEAR, month).firstDay();
    const [row] = await dataSource.query<{ monthly_fen: number }[]>(
      `SELECT monthly_fen FROM rule_allowance_standard WHERE programme = $1 AND grade = $2 AND division_code = '430000000000' AND effective_from <= $3 AND (effective_to IS NULL OR effective_to >= $3)`,
      [programme, grade, day],
    );
    if (!row) throw new Error(`no ${programme} standard on ${day}`);
    rates.push(row.monthly_fen);
  }
  const [first, second] = [rates[0] ?? 0, rates[6] ?? 0];
  if (rates.some((r, i) => r !== (i < 6 ? first : second))) throw new Error(`the demo assumes one ${programme} standard per half-year, found ${rates.join(', ')}`);
  return [first, second];
}

/**
 * Members of households on 低保 throughout the year, once the event stream has brought enough (and
 * stopped growing): the read model knows them by hash; their numbers, encrypted, come from the
 * identities the events named.
 */
async function waitForDibaoMembers(dataSource: DataSource, needed: number, timeoutMs: number, logger: Logger): Promise<{ resident_id_enc: string; division_code: string }[]> {
  const deadline = Date.now() + timeoutMs;
  let previous = -1;
  for (;;) {
    const rows = await dataSource.query<{ resident_id_enc: string; division_code: string }[]>(
      `SELECT DISTINCT ON (m.resident_id_hash) i.resident_id_enc, c.division_code
         FROM dibao_case_member_view m JOIN dibao_case_view c ON c.case_id = m.case_id
         JOIN dibao_member_identity i ON i.resident_id_hash = m.resident_id_hash
        WHERE c.first_period <= $1 AND (c.until_period IS NULL OR c.until_period > $2)
        ORDER BY m.resident_id_hash, c.first_period`,
      [`${YEAR}-01`, `${YEAR}-12`],
    );
    if (rows.length >= needed && rows.length === previous) return rows.slice(0, needed);
    if (Date.now() > deadline) {
      throw new Error(`only ${rows.length} members of households on 低保 all year are known here (${needed} needed): run the social-assistance demo first and let social-affairs consume its events`);
    }
    logger.info({ known: rows.length, needed }, 'waiting for social assistance’s 低保 events');
    previous = rows.length;
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<void>, concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}
