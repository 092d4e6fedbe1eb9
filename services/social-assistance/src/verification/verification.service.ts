import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from 'pino';
import { ResidentId } from '@civil/domain-kernel';
import { DomainError, actorCoversDivision, hasAnyRole, hasPermission, residentIdFor, type Actor, type Role } from '@civil/contracts';
import { PLATFORM_LOGGER, PersonalDataCipher } from '@civil/platform';
import { fanOut, type SourceOutcome, type SourceStatus } from './fan-out';
import { VERIFICATION_SOURCES, type MemberQuery, type VerificationSource } from './verification-source';

export interface VerificationOptions {
  /** The whole fan-out waits at most this long; keep it below the gateway's NATS request timeout. */
  deadlineMs: number;
}
export const VERIFICATION_OPTIONS = Symbol('VERIFICATION_OPTIONS');

export interface ReportedIncome {
  kind: string;
  monthlyAmountFen: number;
  source: string;
  sourceName: string;
  asOf: string;
  description: string;
}
export interface ReportedAsset {
  kind: string;
  valueFen?: number;
  source: string;
  sourceName: string;
  asOf: string;
  description: string;
}
export interface ReportedMember {
  memberId: string;
  name: string;
  /** Masked (ResidentId.masked()) as stored; in full only in a reply to an actor with `personal-data:reveal`. */
  residentId: string;
  incomes: ReportedIncome[];
  assets: ReportedAsset[];
}
export interface ReportedSource {
  id: string;
  name: string;
  status: SourceStatus;
  error?: string;
  durationMs: number;
}
export interface VerificationReport {
  /** The verification request's id (what a 低保 application records as its report). */
  id: string;
  householdId: string;
  requestedAt: string;
  completedAt: string;
  members: ReportedMember[];
  sources: ReportedSource[];
  /** Ids of the sources that timed out or failed: their facts are unknown, never guessed. */
  missingSources: string[];
  totals: { householdMonthlyIncomeFen: number };
}

const CASEWORKERS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'admin'];

/** A registry member with the resident ID decrypted (stored as resident_id_hash / resident_id_enc). */
interface MemberRow {
  id: string;
  name: string;
  resident_id: string;
}

/**
 * Household economic verification (家庭经济状况核对): asks every configured source about the
 * household's members in parallel within a deadline, and keeps the report (income and assets per
 * member, each fact with its source; sources that did not answer listed as missing).
 */
@Injectable()
export class VerificationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(VERIFICATION_SOURCES) private readonly sources: readonly VerificationSource[],
    @Inject(VERIFICATION_OPTIONS) private readonly options: VerificationOptions,
    private readonly cipher: PersonalDataCipher,
    @Optional() @Inject(PLATFORM_LOGGER) private readonly logger?: Logger,
  ) {
    const ids = sources.map((s) => s.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined) throw new Error(`verification source id ${twice} is configured twice`);
  }

  async verify(householdId: string, actor: Actor): Promise<VerificationReport> {
    requireCaseworker(actor);
    await this.householdInScope(householdId, actor);
    if (this.sources.length === 0) throw new DomainError('SERVICE_UNAVAILABLE', 'no verification sources are configured');
    // Sources match on the full numbers: decrypted for the lookup, never stored (the report keeps them masked).
    const rows = await this.members(`household_id = $1 ORDER BY relationship = 'head' DESC, id`, [householdId]);
    const members: MemberQuery[] = rows.map((r) => ({ memberId: r.id, residentId: r.resident_id, name: r.name }));

    const id = uuidv7();
    const requestedAt = new Date();
    // Recorded before any source is asked: who looked up whose data is kept even if this never completes.
    await this.dataSource.query(`INSERT INTO verification_request (id, household_id, requested_by, requested_at) VALUES ($1, $2, $3, $4)`, [
      id,
      householdId,
      actor.userId,
      requestedAt,
    ]);
    const outcomes = await fanOut(this.sources, members, this.options.deadlineMs);
    const completedAt = new Date();
    for (const o of outcomes) {
      if (o.status !== 'answered') this.logger?.warn({ verificationId: id, source: o.source.id, status: o.status, error: o.error }, 'verification source did not answer');
    }
    const report = buildReport({ id, householdId, requestedAt, completedAt, members: rows, outcomes });
    await this.dataSource.query(`UPDATE verification_request SET completed_at = $2, report = $3 WHERE id = $1`, [id, completedAt, JSON.stringify(report)]);
    return reportFor(actor, report, rows);
  }

  async get(id: string, actor: Actor): Promise<VerificationReport> {
    requireCaseworker(actor);
    const [row] = await this.dataSource.query<{ household_id: string; division_code: string; report: VerificationReport | null }[]>(
      `SELECT r.household_id, h.division_code, r.report FROM verification_request r JOIN household h ON h.id = r.household_id WHERE r.id = $1`,
      [id],
    );
    if (!row) throw new DomainError('NOT_FOUND', `verification ${id} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `verification ${id} is outside your divisions`);
    if (!row.report) throw new DomainError('CONFLICT', `verification ${id} did not complete; request a new one`);
    if (!hasPermission(actor, 'personal-data:reveal')) return row.report;
    // The stored report has masked numbers only: the full ones come from the registry.
    const members = await this.members(`household_id = $1 AND id = ANY($2::uuid[])`, [row.household_id, row.report.members.map((m) => m.memberId)]);
    return reportFor(actor, row.report, members);
  }

  private async members(where: string, params: unknown[]): Promise<MemberRow[]> {
    const rows = await this.dataSource.query<{ id: string; name: string; resident_id_enc: string }[]>(`SELECT id, name, resident_id_enc FROM household_member WHERE ${where}`, params);
    return rows.map((r) => ({ id: r.id, name: r.name, resident_id: this.cipher.decrypt(r.resident_id_enc) }));
  }

  private async householdInScope(householdId: string, actor: Actor): Promise<void> {
    const [row] = await this.dataSource.query<{ division_code: string }[]>(`SELECT division_code FROM household WHERE id = $1`, [householdId]);
    if (!row) throw new DomainError('NOT_FOUND', `household ${householdId} does not exist`);
    if (!actorCoversDivision(actor, row.division_code)) throw new DomainError('OUT_OF_DIVISION_SCOPE', `household ${householdId} is outside your divisions`);
  }
}

function requireCaseworker(actor: Actor): void {
  if (actor.kind === 'citizen' || !hasAnyRole(actor, CASEWORKERS)) throw new DomainError('FORBIDDEN', 'only social-assistance caseworkers may verify household finances');
}

/**
 * The report as `actor` may read it: stored with masked resident IDs, it shows the members' full
 * IDs (from `members`, the registry rows) only with `personal-data:reveal`. A member no longer in
 * the registry keeps the masked ID.
 */
function reportFor(actor: Actor, report: VerificationReport, members: readonly MemberRow[]): VerificationReport {
  if (!hasPermission(actor, 'personal-data:reveal')) return report;
  const full = new Map(members.map((m) => [m.id, m.resident_id]));
  return {
    ...report,
    members: report.members.map((m) => {
      const residentId = full.get(m.memberId);
      return residentId === undefined ? m : { ...m, residentId: residentIdFor(actor, residentId) };
    }),
  };
}

export interface ReportInput {
  id: string;
  householdId: string;
  requestedAt: Date;
  completedAt: Date;
  members: readonly MemberRow[];
  outcomes: readonly SourceOutcome[];
}

/**
 * Puts the facts under their members, in source order. The household's monthly income adds up
 * each member's incomes by kind; when several sources report the same kind for the same member
 * (税务 and 人社 both seeing one job's wages), the largest source's figure counts once instead of
 * being added twice.
 */
export function buildReport(input: ReportInput): VerificationReport {
  const members = input.members.map(
    (m): ReportedMember => ({ memberId: m.id, name: m.name, residentId: ResidentId.parse(m.resident_id).masked(), incomes: [], assets: [] }),
  );
  const byId = new Map(members.map((m) => [m.memberId, m]));
  // member -> kind -> source -> sum
  const incomeBySource = new Map<string, Map<string, Map<string, number>>>();
  for (const outcome of input.outcomes) {
    const { id: source, name: sourceName } = outcome.source;
    for (const fact of outcome.facts) {
      const member = byId.get(fact.memberId);
      if (!member) continue;
      switch (fact.category) {
        case 'income': {
          const amount = fact.monthlyAmountFen ?? 0;
          member.incomes.push({ kind: fact.kind, monthlyAmountFen: amount, source, sourceName, asOf: fact.asOf, description: fact.description });
          const kinds = incomeBySource.get(member.memberId) ?? new Map<string, Map<string, number>>();
          incomeBySource.set(member.memberId, kinds);
          const perSource = kinds.get(fact.kind) ?? new Map<string, number>();
          kinds.set(fact.kind, perSource);
          perSource.set(source, (perSource.get(source) ?? 0) + amount);
          break;
        }
        case 'asset':
          member.assets.push({ kind: fact.kind, ...(fact.valueFen === undefined ? {} : { valueFen: fact.valueFen }), source, sourceName, asOf: fact.asOf, description: fact.description });
          break;
      }
    }
  }
  let householdMonthlyIncomeFen = 0;
  for (const kinds of incomeBySource.values()) {
    for (const perSource of kinds.values()) householdMonthlyIncomeFen += Math.max(...perSource.values());
  }
  return {
    id: input.id,
    householdId: input.householdId,
    requestedAt: input.requestedAt.toISOString(),
    completedAt: input.completedAt.toISOString(),
    members,
    sources: input.outcomes.map((o) => ({ id: o.source.id, name: o.source.name, status: o.status, ...(o.error === undefined ? {} : { error: o.error }), durationMs: o.durationMs })),
    missingSources: input.outcomes.filter((o) => o.status !== 'answered').map((o) => o.source.id),
    totals: { householdMonthlyIncomeFen },
  };
}
