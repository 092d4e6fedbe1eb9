import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource, EntityManager } from 'typeorm';
import { todayInShanghai } from '@civil/domain-kernel';
import {
  DomainError,
  hasAnyRole,
  type Actor,
  type CheckNameInput,
  type NamingCheckResult,
  type RuleWordKind,
  type RuleWordListView,
  type RuleWordView,
  type changeRuleWordSchema,
  type listRuleWordsSchema,
} from '@civil/contracts';
import type { z } from 'zod';
import { searchKeys } from '../gazetteer/romanization';
import { checkNameRules, scopePattern, type RuleWord, type ScopeName } from './naming-rules';

export type ListRuleWords = z.output<typeof listRuleWordsSchema>;
export type ChangeRuleWord = z.output<typeof changeRuleWordSchema>;

/** Word lists change rarely; a few seconds of staleness across replicas is acceptable. */
const WORD_CACHE_MS = 5_000;
const WORD_EDITORS = ['place-names-officer', 'admin'] as const;
const UNIQUE_VIOLATION = '23505';

interface WordRow {
  id: string;
  word: string;
  kind: RuleWordKind;
  note: string | null;
  valid_from: string;
  valid_to: string | null;
}

interface ScopeRow {
  place_name_id: string;
  name: string;
  division_code: string;
  name_key: string;
  pinyin_key: string;
}

/**
 * Checks a proposed name against the rules: the word lists (from `naming_rule_word`, cached
 * briefly) and the standard names in use within its scope (from `place_name_version`). Used on its
 * own (public "check this name") and by the naming workflow inside its transactions.
 */
@Injectable()
export class NamingRulesService {
  private cache: { at: number; rows: WordRow[] } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(input: CheckNameInput, manager?: EntityManager, now = Date.now()): Promise<NamingCheckResult> {
    const db = manager ?? this.dataSource.manager;
    const date = input.date ?? todayInShanghai(new Date(now));
    const words = await this.wordsOn(date, now);
    const scope = await this.scopeNames(db, input);
    return checkNameRules({ name: input.name, category: input.category }, words, scope);
  }

  async listWords(input: ListRuleWords, actor: Actor): Promise<RuleWordListView> {
    requireEditor(actor);
    const rows = await this.dataSource.query<WordRow[]>(
      `${SELECT_WORDS} WHERE ($1::text IS NULL OR kind = $1) AND ($2 OR valid_to IS NULL) ORDER BY kind, word, valid_from`,
      [input.kind ?? null, input.includeRetired ?? false],
    );
    return { items: rows.map(toWordView) };
  }

  /** Adds a word from a date, or retires a listed word from a date. */
  async changeWord(input: ChangeRuleWord, actor: Actor, today = todayInShanghai()): Promise<RuleWordView> {
    requireEditor(actor);
    const date = input.date ?? today;
    let rows: WordRow[];
    if (input.action === 'add') {
      try {
        rows = await this.dataSource.query<WordRow[]>(
          `INSERT INTO naming_rule_word (id, word, kind, note, valid_from, created_by) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING id, word, kind, note, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to`,
          [uuidv7(), input.word, input.kind, input.note ?? null, date, actor.userId],
        );
      } catch (error) {
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new DomainError('DUPLICATE_NAME', `"${input.word}" is already on the ${input.kind} list`);
        throw error;
      }
    } else {
      const [listed] = await this.dataSource.query<WordRow[]>(`${SELECT_WORDS} WHERE word = $1 AND kind = $2 AND valid_to IS NULL`, [input.word, input.kind]);
      if (!listed) throw new DomainError('NOT_FOUND', `"${input.word}" is not on the ${input.kind} list`);
      if (date < listed.valid_from) {
        throw new DomainError('VALIDATION_FAILED', 'a word is retired on or after the day it was listed', [
          { field: 'date', rule: 'after-listed', message: `"${input.word}" is listed from ${listed.valid_from}` },
        ]);
      }
      // The result has [rows, affected count] for an UPDATE … RETURNING.
      const [updated] = await this.dataSource.query<[WordRow[], number]>(
        `UPDATE naming_rule_word SET valid_to = $2, retired_by = $3 WHERE id = $1
         RETURNING id, word, kind, note, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to`,
        [listed.id, date, actor.userId],
      );
      rows = updated;
    }
    this.cache = null;
    const [row] = rows;
    if (!row) throw new Error('the word was not written');
    return toWordView(row);
  }

  /** The words listed on a date: valid from on or before it, and not yet retired on it. */
  private async wordsOn(date: string, now: number): Promise<RuleWord[]> {
    if (this.cache === null || now - this.cache.at > WORD_CACHE_MS || now < this.cache.at) {
      this.cache = { at: now, rows: await this.dataSource.query<WordRow[]>(SELECT_WORDS) };
    }
    return this.cache.rows.filter((r) => r.valid_from <= date && (r.valid_to === null || r.valid_to > date)).map((r) => ({ word: r.word, kind: r.kind }));
  }

  /** Standard names in use in the scope, of the same category, that match by name or by toneless pinyin. */
  private async scopeNames(db: EntityManager, input: CheckNameInput): Promise<ScopeName[]> {
    const keys = searchKeys(input.name);
    if (keys.nameKey === '') return [];
    const rows = await db.query<ScopeRow[]>(
      `SELECT place_name_id, name, division_code, name_key, pinyin_key FROM place_name_version
        WHERE (name_key = $1 OR ($2 <> '' AND pinyin_key = $2)) AND status = 'standard' AND in_use AND valid_to IS NULL
          AND category = $3 AND division_code LIKE $4 AND ($5::uuid IS NULL OR place_name_id <> $5)
        ORDER BY name_key <> $1, name LIMIT 50`,
      [keys.nameKey, keys.pinyinKey, input.category, scopePattern(input.category, input.divisionCode), input.placeNameId ?? null],
    );
    return rows.map((r) => ({ placeNameId: r.place_name_id, name: r.name, divisionCode: r.division_code, nameKey: r.name_key, pinyinKey: r.pinyin_key }));
  }
}

const SELECT_WORDS = `SELECT id, word, kind, note, to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to FROM naming_rule_word`;

function requireEditor(actor: Actor): void {
  if (!hasAnyRole(actor, WORD_EDITORS)) throw new DomainError('FORBIDDEN', 'only place-names officers may see and change the naming rule words');
}

function toWordView(row: WordRow): RuleWordView {
  return { id: row.id, word: row.word, kind: row.kind, note: row.note, validFrom: row.valid_from, validTo: row.valid_to };
}
