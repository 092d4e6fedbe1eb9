import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { DivisionCode, Money } from '@civil/domain-kernel';
import { DomainError, divisionLikePatterns, hasAnyRole, type Actor, type Role } from '@civil/contracts';
import { Outbox, PersonalDataCipher, type Transaction } from '@civil/platform';
import { bankFileHeader, bankFileRecord } from './payroll-csv';
import {
  PayrollEvents,
  type BankFilePage,
  type ExportBankFileRequest,
  type ListPaymentLinesRequest,
  type PaymentLinePage,
  type PaymentLineView,
  type PayrollCompletedV1,
  type PayrollExportedV1,
  type PayrollRunView,
  type PayrollTotals,
  type PayrollTotalsLine,
  type Programme,
  type UrbanRural,
} from '@civil/contracts';

/** Beneficiaries per batch transaction: large enough that per-batch overhead is noise (see bench/). */
export const DEFAULT_BATCH_SIZE = 50_000;
/** Records per bank-file page: about 300 kB of CSV, well inside a NATS message. */
export const BANK_FILE_PAGE_SIZE = 2_000;

export interface RunOptions {
  batchSize?: number;
  /**
   * Test hook, not reachable over RPC: return after this many batches of this call, leaving the run
   * `running` as a process killed between two batches would.
   */
  stopAfterBatches?: number;
  /**
   * Test hook, not reachable over RPC: fail inside the transaction of this call's batch n (1-based)
   * after its lines were written and before commit, as a process killed mid-batch would.
   */
  crashInBatch?: number;
}

const RUNNERS: readonly Role[] = ['district-approver', 'admin'];
const RUN_READERS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'finance-officer', 'auditor', 'leader', 'admin'];
const LINE_READERS: readonly Role[] = ['clerk', 'township-reviewer', 'district-approver', 'finance-officer', 'auditor', 'admin'];
const EXPORTERS: readonly Role[] = ['district-approver', 'finance-officer', 'admin'];

/** The envelope's division when a payroll spans no common province (or has no lines). */
const NO_COMMON_DIVISION = '000000000000';

interface RunRow {
  period: string;
  programme: Programme;
  status: 'running' | 'completed';
  started_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  batches: number;
  lines: number;
  persons: number;
  amount_fen: string;
  last_key: string | null;
  summary: PayrollCompletedV1 | null;
}
const RUN_COLUMNS = `period, programme, status, started_at, updated_at, completed_at, batches, lines, persons, amount_fen, last_key, summary`;

interface LineRow {
  beneficiary_id: string;
  source_id: string;
  household_id: string | null;
  division_code: string;
  township_code: string;
  urban_rural: UrbanRural;
  persons: number;
  amount_fen: string;
}

interface CellRow {
  township_code: string;
  urban_rural: UrbanRural;
  households: number;
  persons: string;
  amount_fen: string;
}

/**
 * Eligible beneficiaries of one programme, in keyset order of their beneficiary id. Parameters:
 * $1 period, $2 batch size, $4 resume key (only when `resume`). Both start and end periods are
 * inclusive, and 'YYYY-MM' strings compare as the months they name.
 */
function eligibleSql(programme: Programme, resume: boolean): string {
  switch (programme) {
    case 'dibao':
      // A household is the beneficiary; if two of its cases touch the month, the latest-starting pays.
      return `
        SELECT DISTINCT ON (c.household_id)
               c.household_id AS key, c.id AS source_id, c.household_id, c.division_code, c.urban_rural,
               c.covered_persons AS persons, c.monthly_amount_fen AS amount_fen
          FROM dibao_case c
         WHERE c.start_period <= $1 AND (c.end_period IS NULL OR c.end_period >= $1)${resume ? ' AND c.household_id > $4' : ''}
         ORDER BY c.household_id, c.start_period DESC, c.id DESC
         LIMIT $2`;
    case 'tekun':
      return `
        SELECT t.id AS key, t.id AS source_id, NULL::uuid AS household_id, t.division_code, t.urban_rural,
               1 AS persons, t.monthly_amount_fen AS amount_fen
          FROM tekun_person t
         WHERE t.start_period <= $1 AND (t.end_period IS NULL OR t.end_period >= $1)${resume ? ' AND t.id > $4' : ''}
         ORDER BY t.id
         LIMIT $2`;
  }
}

/**
 * One batch in one statement: take the next eligible beneficiaries after the resume key, write their
 * lines and advance the run's resume key and counters. $3 is the programme. The caller holds the
 * run row's lock, so each beneficiary is visited once: batches are disjoint keyset ranges, and a
 * batch and its resume key commit together. There is deliberately no ON CONFLICT DO NOTHING: the
 * primary key already makes a line unique per beneficiary and period, a duplicate here could only
 * mean a broken invariant and must fail the batch rather than vanish, and the speculative insertion
 * behind ON CONFLICT made the insert about 40 % slower (bench/payroll-bench.ts).
 */
function batchSql(programme: Programme, resume: boolean): string {
  return `
    WITH batch AS MATERIALIZED (${eligibleSql(programme, resume)}),
    ins AS (
      INSERT INTO payment_line (programme, period, beneficiary_id, source_id, household_id, division_code, township_code, urban_rural, persons, amount_fen)
      SELECT $3::text, $1, key, source_id, household_id, division_code, rpad(left(division_code, 9), 12, '0'), urban_rural, persons, amount_fen
        FROM batch
      RETURNING persons, amount_fen
    ),
    upd AS (
      UPDATE payroll_run r
         SET last_key = COALESCE((SELECT key FROM batch ORDER BY key DESC LIMIT 1), r.last_key),
             batches = r.batches + 1,
             lines = r.lines + (SELECT count(*) FROM ins),
             persons = r.persons + (SELECT COALESCE(sum(persons), 0) FROM ins),
             amount_fen = r.amount_fen + (SELECT COALESCE(sum(amount_fen), 0) FROM ins),
             updated_at = now()
       WHERE r.period = $1 AND r.programme = $3::text
      RETURNING r.lines
    )
    SELECT (SELECT count(*) FROM batch)::int AS scanned, (SELECT lines FROM upd) AS lines`;
}

/** Who the bank pays: the 低保 household's head, the 特困 person (name, encrypted resident ID). */
function payeeJoin(programme: Programme): string {
  switch (programme) {
    case 'dibao':
      return `LEFT JOIN LATERAL (
                SELECT m.name, m.resident_id_enc FROM household_member m
                 WHERE m.household_id = l.household_id AND m.relationship = 'head'
                 ORDER BY m.id LIMIT 1) p ON true`;
    case 'tekun':
      return `LEFT JOIN tekun_person p ON p.id = l.source_id`;
  }
}

/** LIKE patterns of the actor's divisions; null for the system actor, which has no scope. */
const scopePatterns = divisionLikePatterns;

function inScope(patterns: string[] | null, code: string): boolean {
  return patterns === null || patterns.some((p) => code.startsWith(p.slice(0, -1)));
}

/** The deepest division containing every code (township codes here), as the event's division. */
function commonDivision(codes: readonly string[]): string {
  const [first] = codes;
  if (first === undefined) return NO_COMMON_DIVISION;
  for (const digits of [12, 9, 6, 4, 2]) {
    const prefix = first.slice(0, digits);
    if (codes.every((c) => c.startsWith(prefix))) return prefix.padEnd(12, '0');
  }
  return NO_COMMON_DIVISION;
}

function totalsOf(lines: readonly PayrollTotalsLine[]): PayrollTotals {
  return {
    households: lines.reduce((n, l) => n + l.households, 0),
    persons: lines.reduce((n, l) => n + l.persons, 0),
    amountFen: Money.sum(lines.map((l) => Money.fen(l.amountFen))).fen,
  };
}

/**
 * The monthly payroll of 低保 households and 特困 persons (architecture rule 7).
 *
 * A run is one row per (period, programme). Every batch is one transaction that locks that row,
 * writes the next keyset batch of lines with INSERT … SELECT and advances the row's resume key, so
 * a crash loses at most the batch in hand and any later call resumes where the last commit left
 * off. Concurrent calls (replicas, double clicks) serialise on the row lock and share the batches,
 * so there is one payroll whoever calls. The batch that finds the source exhausted totals the lines
 * with one GROUP BY, marks the run completed and writes the payroll.completed event in the same
 * transaction; a call on a completed run changes nothing and returns the stored totals.
 */
@Injectable()
export class PayrollService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async run(period: string, programme: Programme, actor: Actor, options: RunOptions = {}): Promise<PayrollRunView> {
    if (!hasAnyRole(actor, RUNNERS)) throw new DomainError('FORBIDDEN', 'only district approvers run the payroll');
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);

    const existing = await this.findRun(this.dataSource.manager, period, programme);
    if (existing?.status === 'completed') return this.view(existing, actor);
    await this.assertCoversBeneficiaries(period, programme, actor);
    await this.dataSource.query(`INSERT INTO payroll_run (period, programme, status, started_by) VALUES ($1, $2, 'running', $3) ON CONFLICT DO NOTHING`, [
      period,
      programme,
      actor.userId,
    ]);

    for (let batch = 1; ; batch++) {
      if (options.stopAfterBatches !== undefined && batch > options.stopAfterBatches) {
        return this.view(await this.requireRun(this.dataSource.manager, period, programme), actor);
      }
      const finished = await this.outbox.transaction(async (tx) => {
        const run = await this.requireRun(tx.manager, period, programme, true);
        if (run.status === 'completed') return run; // another caller finished it while we waited
        const resume = run.last_key !== null;
        const [step] = await tx.manager.query<{ scanned: number }[]>(
          batchSql(programme, resume),
          resume ? [period, batchSize, programme, run.last_key] : [period, batchSize, programme],
        );
        if (options.crashInBatch === batch) throw new Error(`simulated crash in batch ${batch} of payroll ${programme} ${period}`);
        if ((step?.scanned ?? 0) < batchSize) return this.complete(tx, period, programme, actor);
        return null;
      });
      if (finished) return this.view(finished, actor);
    }
  }

  /** Progress of a run: status, lines and amount so far, the resume key while running. */
  async getRun(period: string, programme: Programme, actor: Actor): Promise<PayrollRunView> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, RUN_READERS)) throw new DomainError('FORBIDDEN', 'payroll runs are for social-assistance staff');
    const run = await this.findRun(this.dataSource.manager, period, programme);
    if (!run) throw new DomainError('NOT_FOUND', `no ${programme} payroll for ${period}`);
    return this.view(run, actor);
  }

  /** Payment lines of a period in beneficiary order, one keyset page at a time, within the actor's divisions. */
  async listLines(request: ListPaymentLinesRequest, actor: Actor): Promise<PaymentLinePage> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, LINE_READERS)) throw new DomainError('FORBIDDEN', 'payment lines are for social-assistance staff');
    const params: unknown[] = [request.programme, request.period];
    const where = [`programme = $1`, `period = $2`];
    if (request.townshipCode !== undefined) {
      const township = DivisionCode.parse(request.townshipCode).townshipCode;
      if (township === null) {
        throw DomainError.validation([{ field: 'townshipCode', rule: 'level', message: 'townshipCode must name a township (9 digits) or a division below one' }]);
      }
      params.push(township.padEnd(12, '0'));
      where.push(`township_code = $${params.length}`);
    }
    if (request.after !== undefined) {
      params.push(request.after);
      where.push(`beneficiary_id > $${params.length}`);
    }
    const scope = scopePatterns(actor);
    if (scope !== null) {
      params.push(scope);
      where.push(`division_code LIKE ANY($${params.length}::text[])`);
    }
    params.push(request.limit);
    const rows = await this.dataSource.query<LineRow[]>(
      `SELECT beneficiary_id, source_id, household_id, division_code, township_code, urban_rural, persons, amount_fen
         FROM payment_line
        WHERE ${where.join(' AND ')}
        ORDER BY beneficiary_id
        LIMIT $${params.length}`,
      params,
    );
    const items = rows.map(
      (r): PaymentLineView => ({
        beneficiaryId: r.beneficiary_id,
        sourceId: r.source_id,
        householdId: r.household_id,
        divisionCode: r.division_code,
        townshipCode: r.township_code,
        urbanRural: r.urban_rural,
        persons: r.persons,
        amountFen: Money.fen(r.amount_fen).fen,
      }),
    );
    const last = items.at(-1);
    return { items, next: items.length === request.limit && last ? last.beneficiaryId : null };
  }

  /**
   * One page of a completed payroll's bank file, within the exporter's divisions. The file carries
   * payees' full resident IDs, so the first page is refused unless the run is complete and every
   * line has a payee, and it records the export (a payroll_export row and a payroll.exported event,
   * in one transaction) before any record is read. Later pages name that export: they are read by
   * the same person with the scope fixed at the start, so a file is cut to one scope throughout.
   */
  async exportBankFilePage(request: ExportBankFileRequest, actor: Actor, pageSize = BANK_FILE_PAGE_SIZE): Promise<BankFilePage> {
    if (actor.kind === 'citizen' || !hasAnyRole(actor, EXPORTERS)) throw new DomainError('FORBIDDEN', 'only district approvers and the finance office export bank files');
    const { period, programme } = request;
    let exportId = request.exportId;
    let scope: string[] | null;
    if (exportId === undefined) {
      ({ exportId, scope } = await this.recordExport(period, programme, actor));
    } else {
      const [started] = await this.dataSource.query<{ scope: string[] | null }[]>(
        `SELECT scope FROM payroll_export WHERE id = $1 AND period = $2 AND programme = $3 AND exported_by = $4`,
        [exportId, period, programme, actor.userId],
      );
      if (!started) throw new DomainError('NOT_FOUND', `no bank-file export ${exportId} of the ${programme} payroll for ${period} by you`);
      scope = started.scope;
    }
    const params: unknown[] = [programme, period];
    const where = ['l.programme = $1', 'l.period = $2'];
    if (scope !== null) {
      params.push(scope);
      where.push(`l.division_code LIKE ANY($${params.length}::text[])`);
    }
    if (request.after !== undefined) {
      params.push(request.after);
      where.push(`l.beneficiary_id > $${params.length}`);
    }
    params.push(pageSize);
    const rows = await this.dataSource.query<(LineRow & { payee_name: string; payee_resident_id_enc: string })[]>(
      `SELECT l.beneficiary_id, l.division_code, l.township_code, l.urban_rural, l.persons, l.amount_fen,
              p.name AS payee_name, p.resident_id_enc AS payee_resident_id_enc
         FROM payment_line l ${payeeJoin(programme)}
        WHERE ${where.join(' AND ')}
        ORDER BY l.beneficiary_id
        LIMIT $${params.length}`,
      params,
    );
    const records = rows
      .map((r) =>
        bankFileRecord({
          period,
          programme,
          beneficiaryId: r.beneficiary_id,
          payeeName: r.payee_name,
          // The bank needs the full number: decrypted here, one page at a time.
          payeeResidentId: this.cipher.decrypt(r.payee_resident_id_enc),
          divisionCode: r.division_code,
          townshipCode: r.township_code,
          urbanRural: r.urban_rural,
          persons: r.persons,
          amountFen: r.amount_fen,
        }),
      )
      .join('');
    const last = rows.at(-1);
    return { exportId, csv: request.after === undefined ? bankFileHeader() + records : records, next: rows.length === pageSize && last ? last.beneficiary_id : null };
  }

  /** The whole bank file as one string, page by page: for files that fit in memory (a district's payroll does). */
  async exportCsvText(period: string, programme: Programme, actor: Actor): Promise<string> {
    let page = await this.exportBankFilePage({ period, programme }, actor);
    let text = page.csv;
    while (page.next !== null) {
      page = await this.exportBankFilePage({ period, programme, exportId: page.exportId, after: page.next }, actor);
      text += page.csv;
    }
    return text;
  }

  private async recordExport(period: string, programme: Programme, actor: Actor): Promise<{ exportId: string; scope: string[] | null }> {
    const run = await this.findRun(this.dataSource.manager, period, programme);
    if (!run) throw new DomainError('NOT_FOUND', `no ${programme} payroll for ${period}`);
    if (run.status !== 'completed') throw new DomainError('CONFLICT', `the ${programme} payroll for ${period} is still running`);
    const scope = scopePatterns(actor);
    const scopeSql = scope === null ? '' : ` AND l.division_code LIKE ANY($3::text[])`;
    const exportId = uuidv7();
    await this.outbox.transaction(async (tx) => {
      const [check] = await tx.manager.query<{ lines: number; amount_fen: string; missing: number }[]>(
        `SELECT count(*)::int AS lines, COALESCE(sum(l.amount_fen), 0)::bigint AS amount_fen,
                count(*) FILTER (WHERE p.resident_id_enc IS NULL)::int AS missing
           FROM payment_line l ${payeeJoin(programme)}
          WHERE l.programme = $1 AND l.period = $2${scopeSql}`,
        scope === null ? [programme, period] : [programme, period, scope],
      );
      if (check && check.missing > 0) {
        throw new DomainError('CONFLICT', `${check.missing} payment lines of the ${programme} payroll for ${period} have no payee (a household without a head)`);
      }
      const lines = check?.lines ?? 0;
      const amountFen = Money.fen(check?.amount_fen ?? 0).fen;
      await tx.manager.query(`INSERT INTO payroll_export (id, period, programme, exported_by, scope, lines, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        exportId,
        period,
        programme,
        actor.userId,
        scope,
        lines,
        amountFen,
      ]);
      await tx.emit<PayrollExportedV1>(actor, [
        {
          type: PayrollEvents.exported,
          subject: `payroll/${programme}/${period}`,
          divisionCode: run.summary ? commonDivision(run.summary.lines.map((l) => l.townshipCode)) : NO_COMMON_DIVISION,
          data: { period, programme, exportId, lines, amountFen, residentIdsRevealed: true },
        },
      ]);
    });
    return { exportId, scope };
  }

  /** Totals by township × urban/rural with one GROUP BY, then the run is completed with its one event. */
  private async complete(tx: Transaction, period: string, programme: Programme, actor: Actor): Promise<RunRow> {
    const cells = await tx.manager.query<CellRow[]>(
      `SELECT township_code, urban_rural, count(*)::int AS households, sum(persons)::bigint AS persons, sum(amount_fen)::bigint AS amount_fen
         FROM payment_line
        WHERE programme = $1 AND period = $2
        GROUP BY township_code, urban_rural
        ORDER BY township_code, urban_rural`,
      [programme, period],
    );
    const lines = cells.map(
      (c): PayrollTotalsLine => ({
        townshipCode: c.township_code,
        urbanRural: c.urban_rural,
        households: c.households,
        persons: Number(c.persons),
        amountFen: Money.fen(c.amount_fen).fen,
      }),
    );
    const summary: PayrollCompletedV1 = { period, programme, lines, totals: totalsOf(lines) };
    const [event] = await tx.emit<PayrollCompletedV1>(actor, [
      { type: PayrollEvents.completed, subject: `payroll/${programme}/${period}`, divisionCode: commonDivision(lines.map((l) => l.townshipCode)), data: summary },
    ]);
    const [row] = await tx.manager.query<RunRow[]>(
      `WITH done AS (
         UPDATE payroll_run
            SET status = 'completed', completed_at = now(), completed_by = $3, updated_at = now(),
                lines = $4, persons = $5, amount_fen = $6, summary = $7::jsonb, event_id = $8
          WHERE period = $1 AND programme = $2
         RETURNING ${RUN_COLUMNS})
       SELECT * FROM done`,
      [period, programme, actor.userId, summary.totals.households, summary.totals.persons, summary.totals.amountFen, JSON.stringify(summary), event?.id ?? null],
    );
    if (!row) throw new Error(`payroll run ${programme} ${period} vanished while completing`);
    return row;
  }

  /** Refuses a run that would pay beneficiaries outside the actor's divisions. */
  private async assertCoversBeneficiaries(period: string, programme: Programme, actor: Actor): Promise<void> {
    const scope = scopePatterns(actor);
    if (scope === null) return;
    const table = programme === 'dibao' ? 'dibao_case' : 'tekun_person';
    const [outside] = await this.dataSource.query<{ division_code: string }[]>(
      `SELECT division_code FROM ${table}
        WHERE start_period <= $1 AND (end_period IS NULL OR end_period >= $1) AND NOT (division_code LIKE ANY($2::text[]))
        LIMIT 1`,
      [period, scope],
    );
    if (outside) throw new DomainError('OUT_OF_DIVISION_SCOPE', `the ${programme} payroll for ${period} pays beneficiaries in ${outside.division_code}, outside your scope`);
  }

  private async findRun(manager: EntityManager, period: string, programme: Programme, lock = false): Promise<RunRow | undefined> {
    const [run] = await manager.query<RunRow[]>(`SELECT ${RUN_COLUMNS} FROM payroll_run WHERE period = $1 AND programme = $2${lock ? ' FOR UPDATE' : ''}`, [
      period,
      programme,
    ]);
    return run;
  }

  private async requireRun(manager: EntityManager, period: string, programme: Programme, lock = false): Promise<RunRow> {
    const run = await this.findRun(manager, period, programme, lock);
    if (!run) throw new Error(`payroll run ${programme} ${period} does not exist`);
    return run;
  }

  private view(run: RunRow, actor: Actor): PayrollRunView {
    let summary = run.summary;
    const scope = scopePatterns(actor);
    if (summary && scope !== null) {
      const visible = summary.lines.filter((l) => inScope(scope, l.townshipCode));
      if (visible.length < summary.lines.length) summary = { ...summary, lines: visible, totals: totalsOf(visible) };
    }
    // A completed run shows the totals of the caller's divisions; progress while running is district-wide.
    const totals = summary?.totals ?? { households: run.lines, persons: run.persons, amountFen: Money.fen(run.amount_fen).fen };
    return {
      period: run.period,
      programme: run.programme,
      status: run.status,
      startedAt: run.started_at.toISOString(),
      updatedAt: run.updated_at.toISOString(),
      completedAt: run.completed_at ? run.completed_at.toISOString() : null,
      batches: run.batches,
      lines: totals.households,
      persons: totals.persons,
      amountFen: totals.amountFen,
      lastKey: run.status === 'running' ? run.last_key : null,
      summary,
    };
  }
}
