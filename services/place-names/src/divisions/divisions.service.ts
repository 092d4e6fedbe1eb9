import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  DivisionEvents,
  DomainError,
  divisionChangeSchema,
  divisionHistorySchema,
  divisionTreeSchema,
  listDivisionChangesSchema,
  parseOrThrow,
  resolveDivisionSchema,
  type Actor,
  type AdministrativeLevel,
  type DivisionChange,
  type DivisionChangeInput,
  type DivisionChangeKind,
  type DivisionChangeListView,
  type DivisionChangeView,
  type DivisionChangedV1,
  type DivisionHistoryInput,
  type DivisionHistoryView,
  type DivisionLineageView,
  type DivisionRef,
  type DivisionTreeInput,
  type DivisionTreeNode,
  type DivisionTreeView,
  type DivisionUrbanRural,
  type DivisionVersionView,
  type DivisionView,
  type FieldError,
  type ListDivisionChangesInput,
  type ResolveDivisionInput,
} from '@civil/contracts';
import { Outbox, type Transaction } from '@civil/platform';
import type { DataSource, EntityManager } from 'typeorm';
import {
  DEFAULT_ROOT_CODE,
  checkAbolishWithoutSuccessor,
  checkChangeDate,
  checkMergePlan,
  checkParentLevel,
  checkReceiver,
  checkRecodeLevel,
  checkSplitPlan,
  codeInUse,
  levelOfCode,
  rankOf,
  requireLevel,
  requireScope,
  requireWriter,
  throwIfAny,
} from './divisions.domain';

interface VersionRow {
  id: string;
  division_id: string;
  code: string;
  name: string;
  parent_id: string | null;
  urban_rural: DivisionUrbanRural;
  valid_from: string;
  valid_to: string | null;
  change_id: string | null;
  demo: boolean;
  level: AdministrativeLevel;
}
interface ChangeRow {
  id: string;
  kind: DivisionChangeKind;
  effective_date: string;
  document_number: string;
  note: string | null;
  recorded_by: string;
  recorded_at: string;
  predecessors: DivisionRef[];
  successors: DivisionRef[];
}

const EXCLUSION_VIOLATION = '23P01';

const VERSION_COLUMNS = `v.id, v.division_id, v.code, v.name, v.parent_id, v.urban_rural, to_char(v.valid_from, 'YYYY-MM-DD') AS valid_from,
  to_char(v.valid_to, 'YYYY-MM-DD') AS valid_to, v.change_id, d.demo, d.level`;
const CHANGE_COLUMNS = `c.id, c.kind, to_char(c.effective_date, 'YYYY-MM-DD') AS effective_date, c.document_number, c.note, c.recorded_by,
  to_char(c.recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS recorded_at, c.predecessors, c.successors`;
const IN_FORCE = `daterange(v.valid_from, v.valid_to) @> $2::date`;

/** What one change wrote: its lineage and the event's before/after lists. */
interface ChangeOutcome {
  predecessors: DivisionRef[];
  successors: DivisionRef[];
  lineage: { predecessorId: string; successorId: string }[];
  /** The division the event is about (`division/<id>`) and its code. */
  subject: DivisionRef;
}

/**
 * 行政区划: versioned divisions. A change closes the versions it ends at its effective date and opens
 * new ones from that date, records its lineage (merge, split, abolish with successor), keeps a copy
 * of its before/after lists and emits `division.changed` through the outbox in the same
 * transaction. Two exclusion constraints back the rules "one code, one division at a time" and
 * "one version per division at a time"; a violation the checks did not see first (a concurrent
 * change) becomes the same CONFLICT with rule CODE_IN_USE. Reads are public.
 */
@Injectable()
export class DivisionsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  // -------------------------------------------------------------------------------------------
  // Changes

  async change(input: DivisionChangeInput, actor: Actor): Promise<DivisionChangeView> {
    requireWriter(actor);
    const data = parseOrThrow(divisionChangeSchema, input);
    try {
      return await this.outbox.transaction(async (tx) => {
        const changeId = uuidv7();
        await tx.manager.query(
          `INSERT INTO division_change (id, kind, effective_date, document_number, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)`,
          [changeId, data.kind, data.effectiveDate, data.documentNumber, data.note ?? null, actor.userId],
        );
        const outcome = await this.apply(tx.manager, data, changeId, actor);
        return this.record(tx, data, changeId, outcome, actor);
      });
    } catch (error) {
      throw exclusionViolation(error, data) ?? error;
    }
  }

  private async apply(m: EntityManager, data: DivisionChange, changeId: string, actor: Actor): Promise<ChangeOutcome> {
    switch (data.kind) {
      case 'create':
        return this.create(m, data, changeId, actor);
      case 'rename':
      case 'recode':
      case 'move':
        return this.amend(m, data, changeId, actor);
      case 'merge':
        return this.merge(m, data, changeId, actor);
      case 'split':
        return this.split(m, data, changeId, actor);
      case 'abolish':
        return this.abolish(m, data, changeId, actor);
    }
  }

  private async create(m: EntityManager, data: Extract<DivisionChange, { kind: 'create' }>, changeId: string, actor: Actor): Promise<ChangeOutcome> {
    requireScope(actor, [data.code, data.parentCode]);
    const errors: FieldError[] = [];
    const level = requireLevel(data.code, 'code', errors);
    const parent = await this.parentAt(m, data.parentCode, data.effectiveDate, 'parentCode', errors);
    if (parent) checkParentLevel(data.code, parent, 'parentCode', errors);
    throwIfAny(errors);
    if (!level || !parent) throw new DomainError('INTERNAL', 'create checks passed without a level or parent');
    await this.requireCodeFree(m, data.code, data.effectiveDate, 'code');
    const created = await this.insertDivision(m, { level, code: data.code, name: data.name, parentId: parent.division_id, urbanRural: data.urbanRural }, data.effectiveDate, changeId);
    return { predecessors: [], successors: [created], lineage: [], subject: created };
  }

  /** Rename, recode and move: the current version ends, a new one with the one field changed begins. */
  private async amend(m: EntityManager, data: Extract<DivisionChange, { kind: 'rename' | 'recode' | 'move' }>, changeId: string, actor: Actor): Promise<ChangeOutcome> {
    const current = await this.target(m, data, data.effectiveDate, 'code');
    const errors: FieldError[] = [];
    let next: Partial<Pick<VersionRow, 'code' | 'name' | 'parent_id'>>;
    switch (data.kind) {
      case 'rename':
        requireScope(actor, [current.code]);
        if (data.newName === current.name) errors.push({ field: 'newName', rule: 'changed', message: `${current.code} is already named ${current.name}` });
        next = { name: data.newName };
        break;
      case 'recode':
        requireScope(actor, [current.code, data.newCode]);
        if (data.newCode === current.code) errors.push({ field: 'newCode', rule: 'changed', message: `${current.name} already has code ${current.code}` });
        else checkRecodeLevel(current.code, data.newCode, errors);
        next = { code: data.newCode };
        break;
      case 'move': {
        requireScope(actor, [current.code, data.newParentCode]);
        const parent = await this.parentAt(m, data.newParentCode, data.effectiveDate, 'newParentCode', errors);
        if (parent) {
          checkParentLevel(current.code, parent, 'newParentCode', errors);
          if (parent.division_id === current.parent_id) errors.push({ field: 'newParentCode', rule: 'changed', message: `${current.name} is already under ${parent.name}` });
        }
        next = { parent_id: parent?.division_id ?? null };
        break;
      }
    }
    throwIfAny(errors);
    checkChangeDate(view(current), data.effectiveDate);
    await this.close(m, current, data.effectiveDate);
    if (next.code !== undefined) {
      await this.requireCodeFree(m, next.code, data.effectiveDate, 'newCode');
      const level = levelOfCode(next.code);
      if (level) await m.query(`UPDATE division SET level = $2 WHERE id = $1`, [current.division_id, level]);
    }
    const after = await this.reopen(m, current, next, data.effectiveDate, changeId);
    return { predecessors: [ref(current)], successors: [after], lineage: [], subject: after };
  }

  /**
   * Merge: every predecessor's current version ends at the effective date; the successor (a
   * surviving predecessor, which carries on in a new version, or a new division under their common
   * parent) takes every child in force on that date, by new versions of the children.
   */
  private async merge(m: EntityManager, data: Extract<DivisionChange, { kind: 'merge' }>, changeId: string, actor: Actor): Promise<ChangeOutcome> {
    const date = data.effectiveDate;
    checkMergePlan(data.predecessorCodes, data.successor);
    requireScope(actor, [...data.predecessorCodes, ...(data.successor.code ? [data.successor.code] : [])]);
    const predecessors: VersionRow[] = [];
    for (const [i, code] of data.predecessorCodes.entries()) predecessors.push(await this.target(m, { code }, date, `predecessorCodes[${i}]`));
    const errors: FieldError[] = [];
    const first = predecessors[0];
    if (!first) throw new DomainError('INTERNAL', 'merge without predecessors');
    if (new Set(predecessors.map((p) => p.division_id)).size !== predecessors.length) errors.push({ field: 'predecessorCodes', rule: 'distinct', message: 'the codes name the same division' });
    if (predecessors.some((p) => p.parent_id !== first.parent_id)) errors.push({ field: 'predecessorCodes', rule: 'same-parent', message: 'merged divisions must sit under the same parent' });
    const depth = rankOf(levelOf(first));
    if (predecessors.some((p) => rankOf(levelOf(p)) !== depth)) errors.push({ field: 'predecessorCodes', rule: 'same-level', message: 'merged divisions must be of the same level' });
    const newCode = data.successor.code;
    const newLevel = newCode ? levelOfCode(newCode) : null;
    if (newCode && newLevel && rankOf(newLevel) !== depth) errors.push({ field: 'successor.code', rule: 'same-level', message: `${newCode} is a ${newLevel} code, not one of the merged divisions' level` });
    throwIfAny(errors);
    for (const p of predecessors) checkChangeDate(view(p), date);
    const children = new Map<string, VersionRow[]>();
    for (const p of predecessors) children.set(p.division_id, await this.childrenForChange(m, p, date));

    for (const p of predecessors) await this.close(m, p, date);
    const survivor = predecessors.find((p) => p.code === data.successor.existingCode);
    let successor: DivisionRef;
    if (survivor) successor = await this.reopen(m, survivor, {}, date, changeId);
    else {
      const { code, name, urbanRural } = data.successor;
      if (!code || !name || !urbanRural || !newLevel) throw new DomainError('INTERNAL', 'a new merge successor passed validation incomplete');
      await this.requireCodeFree(m, code, date, 'successor.code');
      successor = await this.insertDivision(m, { level: newLevel, code, name, parentId: first.parent_id, urbanRural }, date, changeId);
    }
    for (const p of predecessors) {
      if (p.division_id === successor.divisionId) continue;
      for (const child of children.get(p.division_id) ?? []) {
        await this.close(m, child, date);
        await this.reopen(m, child, { parent_id: successor.divisionId }, date, changeId);
      }
    }
    return {
      predecessors: predecessors.map(ref),
      successors: [successor],
      lineage: predecessors.filter((p) => p.division_id !== successor.divisionId).map((p) => ({ predecessorId: p.division_id, successorId: successor.divisionId })),
      subject: successor,
    };
  }

  /**
   * Split: the predecessor's children in force on the effective date are shared out among the
   * successors (each child named once); the predecessor ends then, or carries on in a new version
   * when it is one of the successors. New successors sit under the predecessor's parent.
   */
  private async split(m: EntityManager, data: Extract<DivisionChange, { kind: 'split' }>, changeId: string, actor: Actor): Promise<ChangeOutcome> {
    const date = data.effectiveDate;
    requireScope(actor, [data.predecessorCode, ...data.successors.map((s) => s.existingCode ?? s.code ?? data.predecessorCode)]);
    const predecessor = await this.target(m, { code: data.predecessorCode }, date, 'predecessorCode');
    checkChangeDate(view(predecessor), date);
    const children = await this.childrenForChange(m, predecessor, date);
    checkSplitPlan(children, data.successors);
    const depth = rankOf(levelOf(predecessor));
    const errors: FieldError[] = [];
    const existing = new Map<number, VersionRow>();
    for (const [i, s] of data.successors.entries()) {
      if (s.existingCode !== undefined) {
        const row = s.existingCode === predecessor.code ? predecessor : await this.target(m, { code: s.existingCode }, date, `successors[${i}].existingCode`);
        if (rankOf(levelOf(row)) !== depth) errors.push({ field: `successors[${i}].existingCode`, rule: 'same-level', message: `${row.name} is not of the divided division's level` });
        existing.set(i, row);
      } else if (s.code !== undefined) {
        const level = levelOfCode(s.code);
        if (level && rankOf(level) !== depth) errors.push({ field: `successors[${i}].code`, rule: 'same-level', message: `${s.code} is a ${level} code, not the divided division's level` });
      }
    }
    throwIfAny(errors);
    for (const [i, row] of existing) if (row.division_id !== predecessor.division_id) checkReceiver(view(row), date, `successors[${i}].existingCode`);

    await this.close(m, predecessor, date);
    const successors: DivisionRef[] = [];
    for (const [i, s] of data.successors.entries()) {
      const row = existing.get(i);
      if (row?.division_id === predecessor.division_id) successors.push(await this.reopen(m, predecessor, {}, date, changeId));
      else if (row) successors.push(ref(row));
      else {
        const level = s.code ? levelOfCode(s.code) : null;
        if (!s.code || !s.name || !s.urbanRural || !level) throw new DomainError('INTERNAL', 'a new split successor passed validation incomplete');
        await this.requireCodeFree(m, s.code, date, `successors[${i}].code`);
        successors.push(await this.insertDivision(m, { level, code: s.code, name: s.name, parentId: predecessor.parent_id, urbanRural: s.urbanRural }, date, changeId));
      }
    }
    for (const [i, s] of data.successors.entries()) {
      const to = successors[i];
      if (!to || to.divisionId === predecessor.division_id) continue;
      for (const code of s.childCodes) {
        const child = children.find((c) => c.code === code);
        if (!child) continue;
        await this.close(m, child, date);
        await this.reopen(m, child, { parent_id: to.divisionId }, date, changeId);
      }
    }
    return {
      predecessors: [ref(predecessor)],
      successors,
      lineage: successors.filter((s) => s.divisionId !== predecessor.division_id).map((s) => ({ predecessorId: predecessor.division_id, successorId: s.divisionId })),
      subject: ref(predecessor),
    };
  }

  /** Abolish: the division ends; a successor, if named, takes its children; without one it must have none. */
  private async abolish(m: EntityManager, data: Extract<DivisionChange, { kind: 'abolish' }>, changeId: string, actor: Actor): Promise<ChangeOutcome> {
    const date = data.effectiveDate;
    const current = await this.target(m, data, date, 'code');
    requireScope(actor, [current.code, ...(data.successorCode ? [data.successorCode] : [])]);
    checkChangeDate(view(current), date);
    const children = await this.childrenForChange(m, current, date);
    let successor: VersionRow | null = null;
    if (data.successorCode === undefined) checkAbolishWithoutSuccessor(current, children, date);
    else {
      successor = await this.target(m, { code: data.successorCode }, date, 'successorCode');
      checkReceiver(view(successor), date, 'successorCode');
      const errors: FieldError[] = [];
      if (successor.division_id === current.division_id) errors.push({ field: 'successorCode', rule: 'other-division', message: 'a division cannot succeed itself' });
      else if (rankOf(levelOf(successor)) !== rankOf(levelOf(current))) errors.push({ field: 'successorCode', rule: 'same-level', message: `${successor.name} is not of ${current.name}'s level` });
      throwIfAny(errors);
    }
    await this.close(m, current, date);
    for (const child of successor ? children : []) {
      await this.close(m, child, date);
      await this.reopen(m, child, { parent_id: successor?.division_id ?? null }, date, changeId);
    }
    return {
      predecessors: [ref(current)],
      successors: successor ? [ref(successor)] : [],
      lineage: successor ? [{ predecessorId: current.division_id, successorId: successor.division_id }] : [],
      subject: ref(current),
    };
  }

  private async record(tx: Transaction, data: DivisionChange, changeId: string, outcome: ChangeOutcome, actor: Actor): Promise<DivisionChangeView> {
    for (const l of outcome.lineage) {
      await tx.manager.query(`INSERT INTO division_lineage (change_id, predecessor_id, successor_id) VALUES ($1, $2, $3)`, [changeId, l.predecessorId, l.successorId]);
    }
    await tx.manager.query(`UPDATE division_change SET predecessors = $2::jsonb, successors = $3::jsonb WHERE id = $1`, [
      changeId,
      JSON.stringify(outcome.predecessors),
      JSON.stringify(outcome.successors),
    ]);
    await tx.emit<DivisionChangedV1>(actor, [
      {
        type: DivisionEvents.changed,
        subject: `division/${outcome.subject.divisionId}`,
        divisionCode: outcome.subject.code,
        data: {
          changeId,
          kind: data.kind,
          effectiveDate: data.effectiveDate,
          documentNumber: data.documentNumber,
          predecessors: outcome.predecessors,
          successors: outcome.successors,
        },
      },
    ]);
    const [row] = await tx.manager.query<ChangeRow[]>(`SELECT ${CHANGE_COLUMNS} FROM division_change c WHERE c.id = $1`, [changeId]);
    if (!row) throw new DomainError('INTERNAL', `division change ${changeId} vanished`);
    return toChangeView(row);
  }

  // -------------------------------------------------------------------------------------------
  // Reads (public)

  /** The tree under a division (default 大祥区) as it stood on a date (default today). */
  async tree(input: DivisionTreeInput, today = todayInShanghai()): Promise<DivisionTreeView> {
    const data = parseOrThrow(divisionTreeSchema, input);
    const asOf = data.asOf ?? today;
    const rootCode = data.root ?? DEFAULT_ROOT_CODE;
    const root = await this.versionAt(this.dataSource.manager, rootCode, asOf);
    if (!root) throw new DomainError('NOT_FOUND', `no division has code ${rootCode} on ${asOf}`);
    const rows = await this.dataSource.query<VersionRow[]>(
      `WITH RECURSIVE t AS (
         SELECT v.* FROM division_version v WHERE v.id = $1
         UNION ALL
         SELECT v.* FROM division_version v JOIN t ON v.parent_id = t.division_id WHERE ${IN_FORCE}
       )
       SELECT ${VERSION_COLUMNS} FROM t v JOIN division d ON d.id = v.division_id ORDER BY v.code`,
      [root.id, asOf],
    );
    const nodes = new Map<string, DivisionTreeNode>();
    for (const r of rows) nodes.set(r.division_id, toNode(r));
    for (const r of rows) {
      if (r.id === root.id || !r.parent_id) continue;
      nodes.get(r.parent_id)?.children.push(nodes.get(r.division_id) as DivisionTreeNode);
    }
    const node = nodes.get(root.division_id);
    if (!node) throw new DomainError('INTERNAL', 'tree root vanished');
    return { asOf, root: node };
  }

  /** One division (the last to hold the code) with every version, change, predecessor and successor. */
  async history(input: DivisionHistoryInput): Promise<DivisionHistoryView> {
    const data = parseOrThrow(divisionHistorySchema, input);
    const m = this.dataSource.manager;
    const [latest] = await m.query<{ division_id: string; level: AdministrativeLevel; demo: boolean }[]>(
      `SELECT v.division_id, d.level, d.demo FROM division_version v JOIN division d ON d.id = v.division_id WHERE v.code = $1 ORDER BY v.valid_from DESC LIMIT 1`,
      [data.code],
    );
    if (!latest) throw new DomainError('NOT_FOUND', `no division has ever had code ${data.code}`);
    const id = latest.division_id;
    const versions = await m.query<(VersionRow & { parent_code: string | null; parent_name: string | null })[]>(
      `SELECT ${VERSION_COLUMNS}, p.code AS parent_code, p.name AS parent_name
         FROM division_version v JOIN division d ON d.id = v.division_id
         LEFT JOIN LATERAL (SELECT pv.code, pv.name FROM division_version pv
                             WHERE pv.division_id = v.parent_id AND pv.valid_from <= v.valid_from ORDER BY pv.valid_from DESC LIMIT 1) p ON true
        WHERE v.division_id = $1 ORDER BY v.valid_from`,
      [id],
    );
    const changes = await m.query<ChangeRow[]>(
      `SELECT ${CHANGE_COLUMNS} FROM division_change c
        WHERE c.id IN (SELECT change_id FROM division_version WHERE division_id = $1 AND change_id IS NOT NULL)
           OR c.predecessors @> $2::jsonb OR c.successors @> $2::jsonb
        ORDER BY c.effective_date, c.recorded_at`,
      [id, JSON.stringify([{ divisionId: id }])],
    );
    const lineage = async (mine: 'predecessor_id' | 'successor_id', other: 'predecessor_id' | 'successor_id'): Promise<DivisionLineageView[]> => {
      const rows = await m.query<{ division_id: string; code: string; name: string; change_id: string; kind: DivisionChangeKind; effective_date: string }[]>(
        `SELECT l.${other} AS division_id, x.code, x.name, c.id AS change_id, c.kind, to_char(c.effective_date, 'YYYY-MM-DD') AS effective_date
           FROM division_lineage l JOIN division_change c ON c.id = l.change_id
           CROSS JOIN LATERAL (SELECT xv.code, xv.name FROM division_version xv WHERE xv.division_id = l.${other}
                               ORDER BY (daterange(xv.valid_from, xv.valid_to) @> c.effective_date) ${other === 'successor_id' ? 'DESC' : 'ASC'},
                                        (xv.valid_to = c.effective_date) DESC, xv.valid_from DESC LIMIT 1) x
          WHERE l.${mine} = $1 ORDER BY c.effective_date, x.code`,
        [id],
      );
      return rows.map((r) => ({ divisionId: r.division_id, code: r.code, name: r.name, changeId: r.change_id, kind: r.kind, effectiveDate: r.effective_date }));
    };
    return {
      divisionId: id,
      level: latest.level,
      demo: latest.demo,
      versions: versions.map(
        (v): DivisionVersionView => ({
          id: v.id,
          code: v.code,
          name: v.name,
          level: levelOf(v),
          urbanRural: v.urban_rural,
          parent: v.parent_id && v.parent_code && v.parent_name ? { divisionId: v.parent_id, code: v.parent_code, name: v.parent_name } : null,
          validFrom: v.valid_from,
          validTo: v.valid_to,
          changeId: v.change_id,
        }),
      ),
      changes: changes.map(toChangeView),
      predecessors: await lineage('successor_id', 'predecessor_id'),
      successors: await lineage('predecessor_id', 'successor_id'),
    };
  }

  /** The division holding a code on a date (default today). */
  async resolve(input: ResolveDivisionInput, today = todayInShanghai()): Promise<DivisionView> {
    const data = parseOrThrow(resolveDivisionSchema, input);
    const asOf = data.asOf ?? today;
    const row = await this.versionAt(this.dataSource.manager, data.code, asOf);
    if (!row) throw new DomainError('NOT_FOUND', `no division has code ${data.code} on ${asOf}`);
    const [parent] = row.parent_id
      ? await this.dataSource.query<{ code: string; name: string }[]>(`SELECT v.code, v.name FROM division_version v WHERE v.division_id = $1 AND ${IN_FORCE}`, [row.parent_id, asOf])
      : [];
    return {
      divisionId: row.division_id,
      code: row.code,
      name: row.name,
      level: levelOf(row),
      urbanRural: row.urban_rural,
      demo: row.demo,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      parent: row.parent_id && parent ? { divisionId: row.parent_id, code: parent.code, name: parent.name } : null,
    };
  }

  /** Changes effective within a period (both ends inclusive), in date order. */
  async changes(input: ListDivisionChangesInput): Promise<DivisionChangeListView> {
    const data = parseOrThrow(listDivisionChangesSchema, input);
    const rows = await this.dataSource.query<ChangeRow[]>(
      `SELECT ${CHANGE_COLUMNS} FROM division_change c
        WHERE ($1::date IS NULL OR c.effective_date >= $1) AND ($2::date IS NULL OR c.effective_date <= $2) AND ($3::text IS NULL OR c.kind = $3)
        ORDER BY c.effective_date, c.recorded_at LIMIT $4`,
      [data.from ?? null, data.to ?? null, data.kind ?? null, data.limit],
    );
    return { items: rows.map(toChangeView) };
  }

  /** For the gazetteer: the division holding `code` on `date`, inside the caller's transaction if given. */
  async inForce(code: string, date: string, manager?: EntityManager): Promise<{ divisionId: string; code: string; name: string; level: string } | null> {
    const row = await this.versionAt(manager ?? this.dataSource.manager, code, date);
    return row ? { divisionId: row.division_id, code: row.code, name: row.name, level: levelOf(row) } : null;
  }

  /** Of the given codes, those no division has on the date (one query for a whole import file). */
  async codesNotInForce(codes: readonly string[], date: string, manager?: EntityManager): Promise<Set<string>> {
    const distinct = [...new Set(codes)];
    const rows = await (manager ?? this.dataSource.manager).query<{ code: string }[]>(
      `SELECT code FROM division_version WHERE code = ANY($1::char(12)[]) AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
      [distinct, date],
    );
    const found = new Set(rows.map((r) => r.code));
    return new Set(distinct.filter((code) => !found.has(code)));
  }

  // -------------------------------------------------------------------------------------------
  // Rows

  private async versionAt(m: EntityManager, code: string, date: string, lock = false): Promise<VersionRow | null> {
    const [row] = await m.query<VersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM division_version v JOIN division d ON d.id = v.division_id WHERE v.code = $1 AND ${IN_FORCE}${lock ? ' FOR UPDATE OF v' : ''}`,
      [code, date],
    );
    return row ?? null;
  }

  /** A parent in force on the date whose division has not ended since; else a field error. */
  private async parentAt(m: EntityManager, code: string, date: string, field: string, errors: FieldError[]): Promise<VersionRow | null> {
    const row = await this.versionAt(m, code, date);
    if (!row) {
      errors.push({ field, rule: 'in-force', message: `no division has code ${code} on ${date}` });
      return null;
    }
    const [open] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM division_version WHERE division_id = $1 AND valid_to IS NULL`, [row.division_id]);
    if (!open?.n) errors.push({ field, rule: 'in-force', message: `${row.name} (${code}) has since ended` });
    return row;
  }

  /**
   * The division a change acts on, locked, in its current version: by id, or by the code it holds
   * on the effective date (or, failing that, holds now, so the date check can say why it is refused).
   */
  private async target(m: EntityManager, by: { divisionId?: string | undefined; code?: string | undefined }, date: string, field: string): Promise<VersionRow> {
    let divisionId = by.divisionId;
    if (divisionId === undefined) {
      const code = by.code ?? '';
      const atDate = await this.versionAt(m, code, date);
      const [later] = atDate ? [atDate] : await m.query<VersionRow[]>(`SELECT ${VERSION_COLUMNS} FROM division_version v JOIN division d ON d.id = v.division_id WHERE v.code = $1 AND v.valid_to IS NULL`, [code]);
      if (!later) throw new DomainError('NOT_FOUND', `no division has code ${code} on ${date}`, [{ field, rule: 'in-force', message: `no division has code ${code} on ${date}` }]);
      divisionId = later.division_id;
    }
    await m.query(`SELECT id FROM division WHERE id = $1 FOR UPDATE`, [divisionId]);
    const rows = await m.query<VersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM division_version v JOIN division d ON d.id = v.division_id WHERE v.division_id = $1 ORDER BY v.valid_from DESC LIMIT 1`,
      [divisionId],
    );
    const [current] = rows;
    if (!current) throw new DomainError('NOT_FOUND', `division ${divisionId} does not exist`, [{ field, rule: 'exists', message: `division ${divisionId} does not exist` }]);
    return current;
  }

  /**
   * The children a change re-parents: those under the division on the effective date. Each must be
   * in its current version since before that date (no later change is rewritten), or the change is
   * refused naming it.
   */
  private async childrenForChange(m: EntityManager, parent: VersionRow, date: string): Promise<VersionRow[]> {
    const rows = await m.query<VersionRow[]>(
      `SELECT ${VERSION_COLUMNS} FROM division_version v JOIN division d ON d.id = v.division_id
        WHERE v.parent_id = $1 AND (v.valid_to IS NULL OR v.valid_to > $2::date) ORDER BY v.code FOR UPDATE OF v`,
      [parent.division_id, date],
    );
    for (const r of rows) {
      if (r.valid_to !== null || r.valid_from >= date) {
        throw new DomainError('CONFLICT', `${r.name} (${r.code}) under ${parent.name} changed on or after ${date}; record changes in date order`, [
          { field: 'effectiveDate', rule: 'after-children-changes', message: `${r.code} has a version from ${r.valid_from}` },
        ]);
      }
    }
    return rows;
  }

  private async requireCodeFree(m: EntityManager, code: string, from: string, field: string): Promise<void> {
    const [holder] = await m.query<{ name: string; valid_from: string; valid_to: string | null }[]>(
      `SELECT v.name, to_char(v.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(v.valid_to, 'YYYY-MM-DD') AS valid_to
         FROM division_version v WHERE v.code = $1 AND daterange(v.valid_from, v.valid_to) && daterange($2::date, NULL) ORDER BY v.valid_from LIMIT 1`,
      [code, from],
    );
    if (holder) throw codeInUse(code, field, { name: holder.name, validFrom: holder.valid_from, validTo: holder.valid_to });
  }

  private async close(m: EntityManager, version: VersionRow, date: string): Promise<void> {
    await m.query(`UPDATE division_version SET valid_to = $2 WHERE id = $1`, [version.id, date]);
  }

  /** A new version of a division from `date`, the fields not given copied from `from`. */
  private async reopen(m: EntityManager, from: VersionRow, next: Partial<Pick<VersionRow, 'code' | 'name' | 'parent_id'>>, date: string, changeId: string): Promise<DivisionRef> {
    const code = next.code ?? from.code;
    const name = next.name ?? from.name;
    await m.query(
      `INSERT INTO division_version (id, division_id, code, name, parent_id, urban_rural, valid_from, change_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [uuidv7(), from.division_id, code, name, next.parent_id !== undefined ? next.parent_id : from.parent_id, from.urban_rural, date, changeId],
    );
    return { divisionId: from.division_id, code, name };
  }

  private async insertDivision(
    m: EntityManager,
    d: { level: AdministrativeLevel; code: string; name: string; parentId: string | null; urbanRural: DivisionUrbanRural },
    date: string,
    changeId: string,
  ): Promise<DivisionRef> {
    const id = uuidv7();
    await m.query(`INSERT INTO division (id, level) VALUES ($1, $2)`, [id, d.level]);
    await m.query(
      `INSERT INTO division_version (id, division_id, code, name, parent_id, urban_rural, valid_from, change_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [uuidv7(), id, d.code, d.name, d.parentId, d.urbanRural, date, changeId],
    );
    return { divisionId: id, code: d.code, name: d.name };
  }
}

function levelOf(row: { code: string; level: AdministrativeLevel }): AdministrativeLevel {
  return levelOfCode(row.code) ?? row.level;
}

function ref(row: VersionRow): DivisionRef {
  return { divisionId: row.division_id, code: row.code, name: row.name };
}

function view(row: VersionRow): { divisionId: string; code: string; name: string; validFrom: string; validTo: string | null } {
  return { divisionId: row.division_id, code: row.code, name: row.name, validFrom: row.valid_from, validTo: row.valid_to };
}

function toNode(row: VersionRow): DivisionTreeNode {
  return {
    divisionId: row.division_id,
    code: row.code,
    name: row.name,
    level: levelOf(row),
    urbanRural: row.urban_rural,
    demo: row.demo,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    children: [],
  };
}

function toChangeView(row: ChangeRow): DivisionChangeView {
  return {
    id: row.id,
    kind: row.kind,
    effectiveDate: row.effective_date,
    documentNumber: row.document_number,
    note: row.note,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
    predecessors: row.predecessors,
    successors: row.successors,
  };
}

/** An exclusion-constraint violation the checks did not catch first (a concurrent change). */
function exclusionViolation(error: unknown, data: DivisionChange): DomainError | null {
  if ((error as { code?: unknown }).code !== EXCLUSION_VIOLATION) return null;
  const constraint = (error as { constraint?: unknown }).constraint;
  if (constraint === 'division_version_code_once') {
    const code = 'code' in data && typeof data.code === 'string' ? data.code : 'newCode' in data ? data.newCode : '';
    return codeInUse(code || '(a code of this change)', data.kind === 'recode' ? 'newCode' : 'code');
  }
  return new DomainError('CONFLICT', 'another change of the same division was recorded at the same time; reload and try again');
}
