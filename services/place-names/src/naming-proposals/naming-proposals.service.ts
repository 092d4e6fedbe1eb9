import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  NamingProposalEvents,
  divisionLikePatterns,
  type Actor,
  type NamingCheckResult,
  type NamingFiling,
  type NamingProposalAnnouncedV1,
  type NamingProposalApprovedV1,
  type NamingProposalEventData,
  type NamingProposalKind,
  type NamingProposalListView,
  type NamingProposalStatus,
  type NamingProposalStepView,
  type NamingProposalSubmittedV1,
  type NamingProposalView,
  type NewPlaceName,
  type PlaceNameCategory,
  type SubmitNamingProposalInput,
  type announceNamingProposalSchema,
  type approveNamingProposalSchema,
  type listNamingProposalsSchema,
  type reviewNamingProposalSchema,
  type withdrawNamingProposalSchema,
} from '@civil/contracts';
import { Outbox, type Transaction } from '@civil/platform';
import type { z } from 'zod';
import { GazetteerService } from '../gazetteer/gazetteer.service';
import { romanize } from '../gazetteer/romanization';
import { divisionScopePattern } from '../gazetteer/search.service';
import { NamingRulesService } from '../naming-rules/naming-rules.service';
import { scopePattern } from '../naming-rules/naming-rules';
import {
  APPROVERS,
  OFFICERS,
  READERS,
  assertNamePasses,
  assertNotSubmitter,
  assertRole,
  assertScope,
  assertSubmitter,
  assertTransition,
  assertVersion,
} from './naming-proposals.domain';

export type ReviewNamingProposal = z.output<typeof reviewNamingProposalSchema>;
export type ApproveNamingProposal = z.output<typeof approveNamingProposalSchema>;
export type AnnounceNamingProposal = z.output<typeof announceNamingProposalSchema>;
export type WithdrawNamingProposal = z.output<typeof withdrawNamingProposalSchema>;
export type ListNamingProposals = z.output<typeof listNamingProposalsSchema>;

const UNIQUE_VIOLATION = '23505';

interface ProposalRow {
  id: string;
  kind: NamingProposalKind;
  place_name_id: string | null;
  current_name: string | null;
  name: string;
  pinyin: string | null;
  category: PlaceNameCategory;
  type: string | null;
  division_code: string;
  location_description: string | null;
  longitude: string | null;
  latitude: string | null;
  origin: string;
  reason: string;
  documents: { title: string; reference: string }[];
  status: NamingProposalStatus;
  findings: { submission: NamingCheckResult; approval: NamingCheckResult | null };
  reviewer: string | null;
  review_decision: 'forward' | 'return' | null;
  review_opinion: string | null;
  approver: string | null;
  approval_decision: 'approve' | 'reject' | null;
  approval_opinion: string | null;
  approving_authority: string | null;
  approval_date: string | null;
  document_number: string | null;
  effective_date: string | null;
  announcement_number: string | null;
  announced_on: string | null;
  resulting_place_name_id: string | null;
  version: number;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  total?: number;
}

interface StepRow {
  step: NamingProposalStepView['step'];
  actor: string;
  at: Date;
  opinion: string | null;
}

const SELECT_PROPOSAL = `SELECT id, kind, place_name_id, current_name, name, pinyin, category, type, division_code, location_description,
  longitude::text, latitude::text, origin, reason, documents, status, findings, reviewer, review_decision, review_opinion, approver,
  approval_decision, approval_opinion, approving_authority, to_char(approval_date, 'YYYY-MM-DD') AS approval_date, document_number,
  to_char(effective_date, 'YYYY-MM-DD') AS effective_date, announcement_number, to_char(announced_on, 'YYYY-MM-DD') AS announced_on,
  resulting_place_name_id, version, created_by, created_at, updated_at FROM naming_proposal`;

/**
 * Naming and renaming (命名、更名): an officer submits a proposal (the naming rules run at once
 * and a name with errors is refused, nothing written; warnings are kept on the proposal); another
 * officer reviews it (forwards it for approval or returns it); a district approver approves it
 * (the rules run again, the gazetteer may have changed) or rejects it; an officer announces it,
 * which applies it to the gazetteer in the same transaction. The submitter may withdraw it until
 * it is approved. Each step is appended to `naming_proposal_step`.
 */
@Injectable()
export class NamingProposalsService {
  constructor(
    private readonly outbox: Outbox,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gazetteer: GazetteerService,
    private readonly rules: NamingRulesService,
  ) {}

  async submit(input: SubmitNamingProposalInput, actor: Actor, today = todayInShanghai()): Promise<NamingProposalView> {
    assertRole(actor, OFFICERS, 'submit naming proposals');
    const id = uuidv7();
    try {
      await this.outbox.transaction(async (tx) => {
        const target = await this.targetOf(tx.manager, input);
        assertScope(actor, target.divisionCode);
        const check = await this.rules.check(
          { name: input.name, category: target.category, divisionCode: target.divisionCode, placeNameId: input.placeNameId, date: today },
          tx.manager,
        );
        assertNamePasses(check, 'submitted');
        await tx.manager.query(
          `INSERT INTO naming_proposal (id, kind, place_name_id, current_name, name, pinyin, category, type, division_code, location_description,
             longitude, latitude, origin, reason, documents, status, findings, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'submitted', $16, $17)`,
          [
            id,
            input.kind,
            input.placeNameId ?? null,
            target.currentName,
            input.name,
            input.pinyin ?? null,
            target.category,
            input.type ?? target.type,
            target.divisionCode,
            input.locationDescription ?? null,
            input.longitude ?? null,
            input.latitude ?? null,
            input.origin,
            input.reason,
            JSON.stringify(input.documents),
            JSON.stringify({ submission: check, approval: null }),
            actor.userId,
          ],
        );
        await addStep(tx.manager, id, 'submitted', actor, null);
        const data: NamingProposalSubmittedV1 = {
          ...eventData({ id, kind: input.kind, name: input.name, category: target.category, division_code: target.divisionCode, place_name_id: input.placeNameId ?? null }),
          warnings: check.findings.length,
        };
        await tx.emit(actor, [{ type: NamingProposalEvents.submitted, subject: `naming-proposal/${id}`, divisionCode: target.divisionCode, data }]);
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
        throw new DomainError('CONFLICT', `place name ${input.placeNameId ?? ''} already has an open renaming proposal`);
      }
      throw error;
    }
    return this.get(id, actor);
  }

  async review(input: ReviewNamingProposal, actor: Actor): Promise<NamingProposalView> {
    assertRole(actor, OFFICERS, 'review naming proposals');
    await this.outbox.transaction(async (tx) => {
      const row = await this.lock(tx.manager, input.id, actor);
      assertVersion(row.version, input.expectedVersion, row.id);
      assertTransition('review', row.status, row.id);
      assertNotSubmitter(actor, row.created_by);
      const status: NamingProposalStatus = input.decision === 'forward' ? 'reviewed' : 'returned';
      await tx.manager.query(
        `UPDATE naming_proposal SET status = $2, reviewer = $3, review_decision = $4, review_opinion = $5, pinyin = coalesce($6, pinyin),
           version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id, status, actor.userId, input.decision, input.opinion, input.pinyin ?? null],
      );
      await addStep(tx.manager, row.id, status, actor, input.opinion);
      if (status === 'returned') await this.emit(tx, actor, NamingProposalEvents.returned, row, eventData(row));
    });
    return this.get(input.id, actor);
  }

  async approve(input: ApproveNamingProposal, actor: Actor): Promise<NamingProposalView> {
    assertRole(actor, APPROVERS, 'approve naming proposals');
    await this.outbox.transaction(async (tx) => {
      const row = await this.lock(tx.manager, input.id, actor);
      assertVersion(row.version, input.expectedVersion, row.id);
      assertTransition('approve', row.status, row.id);
      if (input.decision === 'reject') {
        await tx.manager.query(
          `UPDATE naming_proposal SET status = 'rejected', approver = $2, approval_decision = 'reject', approval_opinion = $3,
             version = version + 1, updated_at = now() WHERE id = $1`,
          [row.id, actor.userId, input.opinion ?? null],
        );
        await addStep(tx.manager, row.id, 'rejected', actor, input.opinion ?? null);
        await this.emit(tx, actor, NamingProposalEvents.rejected, row, eventData(row));
        return;
      }
      const { approvingAuthority, approvalDate, documentNumber } = input;
      if (approvingAuthority === undefined || approvalDate === undefined || documentNumber === undefined) {
        throw new DomainError('VALIDATION_FAILED', 'an approval names its authority, date and document number');
      }
      // The gazetteer and the word lists may have changed since submission.
      await lockScope(tx.manager, row);
      const check = await this.recheck(tx.manager, row, approvalDate);
      assertNamePasses(check, 'approved');
      await tx.manager.query(
        `UPDATE naming_proposal SET status = 'approved', approver = $2, approval_decision = 'approve', approval_opinion = $3, approving_authority = $4,
           approval_date = $5, document_number = $6, findings = jsonb_set(findings, '{approval}', $7::jsonb), version = version + 1, updated_at = now()
         WHERE id = $1`,
        [row.id, actor.userId, input.opinion ?? null, approvingAuthority, approvalDate, documentNumber, JSON.stringify(check)],
      );
      await addStep(tx.manager, row.id, 'approved', actor, input.opinion ?? null);
      const data: NamingProposalApprovedV1 = { ...eventData(row), approval: { authority: approvingAuthority, date: approvalDate, documentNumber } };
      await this.emit(tx, actor, NamingProposalEvents.approved, row, data);
    });
    return this.get(input.id, actor);
  }

  /**
   * Announces an approved proposal and applies it to the gazetteer in the same transaction. The
   * proposal row is locked first, so a second announcement waits and then finds it announced.
   */
  async announce(input: AnnounceNamingProposal, actor: Actor): Promise<NamingProposalView> {
    assertRole(actor, OFFICERS, 'announce naming proposals');
    await this.outbox.transaction(async (tx) => {
      const row = await this.lock(tx.manager, input.id, actor);
      assertVersion(row.version, input.expectedVersion, row.id);
      assertTransition('announce', row.status, row.id);
      const authority = row.approving_authority;
      const approvalDate = row.approval_date;
      if (authority === null || approvalDate === null) throw new Error(`approved proposal ${row.id} has no approval`);
      if (input.announcedOn < approvalDate) {
        throw new DomainError('VALIDATION_FAILED', 'a name is announced after it is approved', [
          { field: 'announcedOn', rule: 'after-approval', message: `the proposal was approved on ${approvalDate}` },
        ]);
      }
      const effectiveDate = input.effectiveDate ?? input.announcedOn;
      // Only a duplicate that appeared since approval stops the announcement: the rest was the approver's decision.
      await lockScope(tx.manager, row);
      const check = await this.recheck(tx.manager, row, approvalDate);
      const duplicates = check.findings.filter((f) => f.rule === 'duplicate-in-scope');
      assertNamePasses({ name: check.name, passes: duplicates.length === 0, findings: duplicates }, 'announced');

      let placeNameId: string;
      if (row.kind === 'naming') {
        GazetteerService.assertWriter(actor, row.division_code);
        const place: NewPlaceName = {
          name: row.name,
          category: row.category,
          divisionCode: row.division_code,
          approvingAuthority: authority,
          approvalDate,
          origin: row.origin,
          ...(row.type !== null ? { type: row.type } : {}),
          ...(row.pinyin !== null ? { pinyin: row.pinyin } : {}),
          ...(row.location_description !== null ? { locationDescription: row.location_description } : {}),
          ...(row.longitude !== null && row.latitude !== null ? { longitude: Number(row.longitude), latitude: Number(row.latitude) } : {}),
        };
        placeNameId = await this.gazetteer.recordWithin(tx, place, actor, { proposalId: row.id });
      } else {
        placeNameId = requirePlace(row);
        await this.gazetteer.renameWithin(
          tx,
          {
            placeNameId,
            newName: row.name,
            pinyin: row.pinyin ?? undefined,
            effectiveDate,
            approval: { authority, date: approvalDate },
            proposalId: row.id,
          },
          actor,
        );
      }
      await tx.manager.query(
        `UPDATE naming_proposal SET status = 'announced', announcement_number = $2, announced_on = $3, effective_date = $4, resulting_place_name_id = $5,
           version = version + 1, updated_at = now() WHERE id = $1`,
        [row.id, input.announcementNumber, input.announcedOn, effectiveDate, placeNameId],
      );
      await addStep(tx.manager, row.id, 'announced', actor, null);
      const data: NamingProposalAnnouncedV1 = {
        ...eventData(row),
        placeNameId,
        announcementNumber: input.announcementNumber,
        announcedOn: input.announcedOn,
        effectiveDate,
      };
      await this.emit(tx, actor, NamingProposalEvents.announced, row, data);
    });
    return this.get(input.id, actor);
  }

  async withdraw(input: WithdrawNamingProposal, actor: Actor): Promise<NamingProposalView> {
    await this.outbox.transaction(async (tx) => {
      const row = await this.lock(tx.manager, input.id, actor, false);
      assertSubmitter(actor, row.created_by);
      assertVersion(row.version, input.expectedVersion, row.id);
      assertTransition('withdraw', row.status, row.id);
      await tx.manager.query(`UPDATE naming_proposal SET status = 'withdrawn', version = version + 1, updated_at = now() WHERE id = $1`, [row.id]);
      await addStep(tx.manager, row.id, 'withdrawn', actor, input.reason ?? null);
      await this.emit(tx, actor, NamingProposalEvents.withdrawn, row, eventData(row));
    });
    return this.get(input.id, actor);
  }

  async get(id: string, actor: Actor): Promise<NamingProposalView> {
    assertRole(actor, READERS, 'read naming proposals');
    const [row] = await this.dataSource.query<ProposalRow[]>(`${SELECT_PROPOSAL} WHERE id = $1`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `naming proposal ${id} does not exist`);
    assertScope(actor, row.division_code);
    const steps = await this.dataSource.query<StepRow[]>(`SELECT step, actor, at, opinion FROM naming_proposal_step WHERE proposal_id = $1 ORDER BY id`, [id]);
    return { ...toView(row), history: steps.map((s) => ({ step: s.step, actor: s.actor, at: s.at.toISOString(), opinion: s.opinion })) };
  }

  /** Proposals in the actor's divisions, newest first. */
  async list(input: ListNamingProposals, actor: Actor): Promise<NamingProposalListView> {
    assertRole(actor, READERS, 'read naming proposals');
    const rows = await this.dataSource.query<ProposalRow[]>(
      `${SELECT_PROPOSAL.replace(' FROM naming_proposal', ', count(*) OVER ()::int AS total FROM naming_proposal')}
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR division_code LIKE $3)
          AND ($4::text[] IS NULL OR division_code LIKE ANY ($4))
        ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6`,
      [
        input.status ?? null,
        input.kind ?? null,
        input.divisionCode === undefined ? null : divisionScopePattern(input.divisionCode),
        divisionLikePatterns(actor),
        input.limit,
        input.offset,
      ],
    );
    return { items: rows.map(toView), total: rows[0]?.total ?? 0 };
  }

  /** The place a proposal names: a renaming takes its category and division from the record. */
  private async targetOf(
    manager: EntityManager,
    input: SubmitNamingProposalInput,
  ): Promise<{ category: PlaceNameCategory; divisionCode: string; type: string | null; currentName: string | null }> {
    if (input.kind === 'naming') {
      if (input.category === undefined || input.divisionCode === undefined) throw new DomainError('VALIDATION_FAILED', 'a naming gives its category and division');
      return { category: input.category, divisionCode: input.divisionCode, type: null, currentName: null };
    }
    const [place] = await manager.query<{ name: string; category: PlaceNameCategory; division_code: string; type: string | null; status: string }[]>(
      `SELECT name, category, division_code, type, status FROM place_name WHERE id = $1`,
      [input.placeNameId],
    );
    if (!place) throw new DomainError('NOT_FOUND', `place name ${input.placeNameId ?? ''} does not exist`);
    if (place.status !== 'in-use') throw new DomainError('CONFLICT', `place name ${input.placeNameId ?? ''} is abolished`);
    const mismatch = [
      ...(input.category !== undefined && input.category !== place.category ? [{ field: 'category', rule: 'matches-place', message: `the place is ${place.category}` }] : []),
      ...(input.divisionCode !== undefined && input.divisionCode !== place.division_code
        ? [{ field: 'divisionCode', rule: 'matches-place', message: `the place is in ${place.division_code}` }]
        : []),
      ...(input.name === place.name ? [{ field: 'name', rule: 'changed', message: `the place is already named ${place.name}` }] : []),
    ];
    if (mismatch.length > 0) throw DomainError.validation(mismatch);
    return { category: place.category, divisionCode: place.division_code, type: place.type, currentName: place.name };
  }

  private async lock(manager: EntityManager, id: string, actor: Actor, checkScope = true): Promise<ProposalRow> {
    const [row] = await manager.query<ProposalRow[]>(`${SELECT_PROPOSAL} WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw new DomainError('NOT_FOUND', `naming proposal ${id} does not exist`);
    if (checkScope) assertScope(actor, row.division_code);
    return row;
  }

  private async recheck(manager: EntityManager, row: ProposalRow, date: string): Promise<NamingCheckResult> {
    return this.rules.check(
      { name: row.name, category: row.category, divisionCode: row.division_code, placeNameId: row.place_name_id ?? undefined, date },
      manager,
    );
  }

  private async emit<T>(tx: Transaction, actor: Actor, type: string, row: ProposalRow, data: T): Promise<void> {
    await tx.emit<T>(actor, [{ type, subject: `naming-proposal/${row.id}`, divisionCode: row.division_code, data }]);
  }
}

/**
 * Serialises approvals and announcements within one duplicate scope, so two proposals for the
 * same name in the same town cannot both pass the check and both be applied.
 */
async function lockScope(manager: EntityManager, row: Pick<ProposalRow, 'category' | 'division_code'>): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('naming-scope:' || $1))`, [`${row.category}:${scopePattern(row.category, row.division_code)}`]);
}

async function addStep(manager: EntityManager, id: string, step: NamingProposalStepView['step'], actor: Actor, opinion: string | null): Promise<void> {
  await manager.query(`INSERT INTO naming_proposal_step (proposal_id, step, actor, opinion) VALUES ($1, $2, $3, $4)`, [id, step, actor.userId, opinion]);
}

function requirePlace(row: ProposalRow): string {
  if (row.place_name_id === null) throw new Error(`renaming proposal ${row.id} has no place`);
  return row.place_name_id;
}

function eventData(row: Pick<ProposalRow, 'id' | 'kind' | 'name' | 'category' | 'division_code' | 'place_name_id'>): NamingProposalEventData {
  return { proposalId: row.id, kind: row.kind, name: row.name, category: row.category, divisionCode: row.division_code, placeNameId: row.place_name_id };
}

function toView(row: ProposalRow): Omit<NamingProposalView, 'history'> {
  const pinyin = row.pinyin ?? romanize(row.name);
  const longitude = row.longitude === null ? null : Number(row.longitude);
  const latitude = row.latitude === null ? null : Number(row.latitude);
  let announcement: NamingProposalView['announcement'] = null;
  if (row.status === 'announced' && row.announcement_number !== null && row.announced_on !== null && row.effective_date !== null) {
    const filing: NamingFiling = {
      standardName: row.name,
      romanization: pinyin,
      category: row.category,
      divisionCode: row.division_code,
      locationDescription: row.location_description,
      longitude,
      latitude,
      approvingAuthority: row.approving_authority ?? '',
      approvalDate: row.approval_date ?? '',
      documentNumber: row.document_number ?? '',
    };
    announcement = { announcementNumber: row.announcement_number, announcedOn: row.announced_on, effectiveDate: row.effective_date, filing };
  }
  return {
    id: row.id,
    kind: row.kind,
    placeNameId: row.place_name_id ?? row.resulting_place_name_id,
    currentName: row.current_name,
    name: row.name,
    pinyin,
    pinyinEdited: row.pinyin !== null,
    category: row.category,
    type: row.type,
    divisionCode: row.division_code,
    locationDescription: row.location_description,
    longitude,
    latitude,
    origin: row.origin,
    reason: row.reason,
    documents: row.documents,
    status: row.status,
    findings: row.findings,
    review:
      row.reviewer !== null && row.review_decision !== null ? { reviewer: row.reviewer, decision: row.review_decision, opinion: row.review_opinion ?? '' } : null,
    approval:
      row.approver !== null && row.approval_decision !== null
        ? {
            decision: row.approval_decision,
            approver: row.approver,
            approvingAuthority: row.approving_authority,
            approvalDate: row.approval_date,
            documentNumber: row.document_number,
            opinion: row.approval_opinion,
          }
        : null,
    announcement,
    version: row.version,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
