import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The day the 2022 地名管理条例 took effect: the seeded words apply from then. */
const SEEDED_FROM = '2022-05-01';

/** "大、洋、怪、重": words that exaggerate, claim a status or sound imperial. */
export const FORBIDDEN_WORDS = [
  ['宇宙', null],
  ['中央', null],
  ['天下', null],
  ['世界', null],
  ['环球', null],
  ['寰球', null],
  ['全球', null],
  ['国际', null],
  ['中国', null],
  ['中华', null],
  ['全国', null],
  ['特区', null],
  ['首府', null],
  ['皇', '皇家 皇城 皇宫 …'],
  ['帝', '帝王 帝国 帝豪 …'],
  ['王府', null],
  ['御府', null],
  ['御', '御景 御园 …'],
  ['至尊', null],
  ['帝国', null],
  ['皇家', null],
  ['帝豪', null],
  ['王朝', null],
  ['霸王', null],
  ['宫廷', null],
] as const;

/** "洋": transliterated foreign place names and words. */
export const FOREIGN_WORDS = [
  ['威尼斯', null],
  ['米兰', 'also a shrub (米仔兰); refused in names all the same'],
  ['曼哈顿', null],
  ['巴黎', null],
  ['维也纳', null],
  ['罗马', null],
  ['加州', null],
  ['好莱坞', null],
  ['香榭丽舍', null],
  ['凯旋门', null],
  ['塞纳', null],
  ['莱茵', null],
  ['威斯敏斯特', null],
  ['纽约', null],
  ['伦敦', null],
  ['悉尼', null],
  ['温哥华', null],
  ['普罗旺斯', null],
  ['托斯卡纳', null],
  ['佛罗伦萨', null],
  ['地中海', null],
  ['夏威夷', null],
  ['加勒比', null],
  ['阿尔卑斯', null],
  ['拉斯维加斯', null],
  ['洛杉矶', null],
  ['枫丹白露', null],
  ['比华利', null],
] as const;

/**
 * The naming rules' word lists (read at check time, changed by officers without a release) and
 * the naming / renaming workflow: proposals with their rule findings and an append-only history.
 */
export class Naming1764000042000 implements MigrationInterface {
  name = 'Naming1764000042000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE naming_rule_word (
        id uuid PRIMARY KEY,
        word text NOT NULL CHECK (char_length(word) BETWEEN 1 AND 20),
        kind text NOT NULL CHECK (kind IN ('forbidden','foreign')),
        note text,
        valid_from date NOT NULL,
        valid_to date,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_by text,
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        CHECK ((valid_to IS NULL) = (retired_by IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX naming_rule_word_listed_once ON naming_rule_word (kind, word) WHERE valid_to IS NULL`);
    for (const [kind, words] of [['forbidden', FORBIDDEN_WORDS], ['foreign', FOREIGN_WORDS]] as const) {
      for (const [word, note] of words) {
        await q.query(
          `INSERT INTO naming_rule_word (id, word, kind, note, valid_from, created_by) VALUES (gen_random_uuid(), $1, $2, $3, $4, 'migration')`,
          [word, kind, note, SEEDED_FROM],
        );
      }
    }

    await q.query(`
      CREATE TABLE naming_proposal (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('naming','renaming')),
        place_name_id uuid REFERENCES place_name (id),
        -- the standard name being replaced, as it was at submission (renaming)
        current_name text,
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
        -- NULL: generated from the name when shown and when announced
        pinyin text,
        category text NOT NULL,
        type text,
        division_code char(12) NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
        location_description text,
        longitude numeric(9,6) CHECK (longitude BETWEEN -180 AND 180),
        latitude numeric(8,6) CHECK (latitude BETWEEN -90 AND 90),
        origin text NOT NULL,
        reason text NOT NULL,
        documents jsonb NOT NULL CHECK (jsonb_typeof(documents) = 'array' AND jsonb_array_length(documents) >= 1),
        status text NOT NULL CHECK (status IN ('submitted','returned','reviewed','approved','rejected','announced','withdrawn')),
        -- {"submission": <check result>, "approval": <check result> | null}
        findings jsonb NOT NULL,
        reviewer text,
        review_decision text CHECK (review_decision IN ('forward','return')),
        review_opinion text,
        approver text,
        approval_decision text CHECK (approval_decision IN ('approve','reject')),
        approval_opinion text,
        approving_authority text,
        approval_date date,
        document_number text,
        effective_date date,
        announcement_number text,
        announced_on date,
        resulting_place_name_id uuid REFERENCES place_name (id),
        version integer NOT NULL DEFAULT 1,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'renaming') = (place_name_id IS NOT NULL AND current_name IS NOT NULL)),
        CHECK ((longitude IS NULL) = (latitude IS NULL)),
        CHECK (status NOT IN ('approved','announced') OR (approving_authority IS NOT NULL AND approval_date IS NOT NULL AND document_number IS NOT NULL)),
        CHECK ((status = 'announced') = (resulting_place_name_id IS NOT NULL AND announcement_number IS NOT NULL AND announced_on IS NOT NULL AND effective_date IS NOT NULL))
      )`);
    // One open renaming per place: two would race to rename it.
    await q.query(`CREATE UNIQUE INDEX naming_proposal_one_open_per_place ON naming_proposal (place_name_id) WHERE status IN ('submitted','reviewed','approved')`);
    await q.query(`CREATE INDEX naming_proposal_by_status_division ON naming_proposal (status, division_code, created_at)`);
    await q.query(`CREATE INDEX naming_proposal_by_division ON naming_proposal (division_code bpchar_pattern_ops, created_at)`);

    await q.query(`
      CREATE TABLE naming_proposal_step (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES naming_proposal (id),
        step text NOT NULL CHECK (step IN ('submitted','reviewed','returned','approved','rejected','announced','withdrawn')),
        actor text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        opinion text
      )`);
    await q.query(`CREATE INDEX naming_proposal_step_of_proposal ON naming_proposal_step (proposal_id, id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE naming_proposal_step`);
    await q.query(`DROP TABLE naming_proposal`);
    await q.query(`DROP TABLE naming_rule_word`);
  }
}
