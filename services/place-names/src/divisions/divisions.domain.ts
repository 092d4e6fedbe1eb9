/**
 * Administrative divisions (行政区划) as pure rules: who may record changes, the level a statistical
 * code denotes, which level may sit under which, and the checks of a change plan (merge
 * predecessors, split assignments, dates against the versions in force). No I/O: the service
 * loads the versions in force and calls these checks before writing.
 */
import { DivisionCode, InvalidValueError, compareDates } from '@civil/domain-kernel';
import { DomainError, actorCoversDivision, hasAnyRole, type Actor, type AdministrativeLevel, type FieldError, type Role } from '@civil/contracts';

/** Who records division changes; reads are public. */
export const DIVISION_WRITERS: readonly Role[] = ['place-names-officer', 'admin'];

/** The county the public tree starts from when no root is asked for (大祥区). */
export const DEFAULT_ROOT_CODE = '430503000000';

/** Throws FORBIDDEN unless the actor may record division changes (the system actor may). */
export function requireWriter(actor: Actor): void {
  if (actor.kind === 'system') return;
  if (actor.kind !== 'staff' || !hasAnyRole(actor, DIVISION_WRITERS)) {
    throw new DomainError('FORBIDDEN', `only ${DIVISION_WRITERS.join(', ')} may record division changes`);
  }
}

/** Throws OUT_OF_DIVISION_SCOPE naming the first code the actor's divisions do not cover. */
export function requireScope(actor: Actor, codes: readonly string[]): void {
  if (actor.kind === 'system') return;
  const outside = codes.filter((code) => !actorCoversDivision(actor, code));
  if (outside.length > 0) throw new DomainError('OUT_OF_DIVISION_SCOPE', `division ${[...new Set(outside)].join(', ')} is outside your divisions`);
}

/**
 * The level a 12-digit statistical code (2+2+2+3+3: province, city, county, township, village)
 * denotes: the first all-zero part ends the code. The township part follows the statistical
 * code rules: 001–099 街道 (`street`), 100–199 镇 (`town`), 200–299 乡 (`township`); the
 * village/community part 001–199 居委会 (`community`), 200–399 村委会 (`village`). Other ranges
 * (e.g. township part 400+ for development zones, village part 400+) are not used in this
 * district: null.
 */
export function levelOfCode(code: string): AdministrativeLevel | null {
  let parsed: DivisionCode;
  try {
    parsed = DivisionCode.parse(code);
  } catch (error) {
    if (error instanceof InvalidValueError) return null;
    throw error;
  }
  const value = parsed.value;
  switch (parsed.level) {
    case 'province':
    case 'city':
    case 'county':
      return parsed.level;
    case 'township': {
      const part = Number(value.slice(6, 9));
      if (part <= 99) return 'street';
      if (part <= 199) return 'town';
      if (part <= 299) return 'township';
      return null;
    }
    case 'village': {
      const part = Number(value.slice(9, 12));
      if (part <= 199) return 'community';
      if (part <= 399) return 'village';
      return null;
    }
  }
}

/** Depth in the tree: province 0, city 1, county 2, township-level 3, village-level 4. */
export function rankOf(level: AdministrativeLevel): number {
  switch (level) {
    case 'province':
      return 0;
    case 'city':
      return 1;
    case 'county':
      return 2;
    case 'street':
    case 'town':
    case 'township':
      return 3;
    case 'community':
    case 'village':
      return 4;
  }
}

/** The level of a code a change introduces, or a field error naming the field. */
export function requireLevel(code: string, field: string, errors: FieldError[]): AdministrativeLevel | null {
  const level = levelOfCode(code);
  if (level === null) errors.push({ field, rule: 'level', message: `${code} is not a code of a level this register keeps (township part 001–299, village part 001–399)` });
  return level;
}

/** A division sits directly under one a level above it (a township under a county, a village under a township). */
export function checkParentLevel(childCode: string, parent: { code: string; name: string }, field: string, errors: FieldError[]): void {
  const child = levelOfCode(childCode);
  const above = levelOfCode(parent.code);
  if (child === null || above === null) return;
  if (rankOf(child) !== rankOf(above) + 1) {
    errors.push({ field, rule: 'parent-level', message: `a ${child} (${childCode}) cannot sit under the ${above} ${parent.name} (${parent.code})` });
  }
}

/** A recode keeps the division at the same depth (a 街道 may become a 镇, not a village). */
export function checkRecodeLevel(oldCode: string, newCode: string, errors: FieldError[]): void {
  const before = levelOfCode(oldCode);
  const after = requireLevel(newCode, 'newCode', errors);
  if (before !== null && after !== null && rankOf(before) !== rankOf(after)) {
    errors.push({ field: 'newCode', rule: 'same-depth', message: `${newCode} is a ${after} code; ${oldCode} is a ${before}` });
  }
}

export function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw DomainError.validation(errors);
}

/** The version of a division a change closes: open-ended and starting strictly before the change. */
export interface CurrentVersion {
  divisionId: string;
  code: string;
  name: string;
  validFrom: string;
  validTo: string | null;
}

/**
 * A change takes effect after the version it ends began, and that version is the division's current
 * one: history is appended to, never rewritten, so a change dated on or before the current
 * version's start (or of a division already ended) is refused.
 */
export function checkChangeDate(version: CurrentVersion, effectiveDate: string): void {
  if (version.validTo !== null) {
    throw new DomainError('CONFLICT', `${version.name} (${version.code}) ended on ${version.validTo}; a change can only follow its current state`, [
      { field: 'effectiveDate', rule: 'current-version', message: `${version.code} is not in force after ${version.validTo}` },
    ]);
  }
  if (compareDates(effectiveDate, version.validFrom) <= 0) {
    throw new DomainError('CONFLICT', `${version.name} (${version.code}) is in its current state since ${version.validFrom}; a change must take effect after that, not on ${effectiveDate}`, [
      { field: 'effectiveDate', rule: 'after-current-version', message: `must be after ${version.validFrom}` },
    ]);
  }
}

/**
 * A division that receives children without a new version of its own (an existing split
 * successor, an abolished division's successor) is in force on the effective date and not ended
 * since, so the children never hang under a division that is not there.
 */
export function checkReceiver(version: CurrentVersion, effectiveDate: string, field: string): void {
  if (version.validTo !== null || compareDates(version.validFrom, effectiveDate) > 0) {
    const when = version.validTo !== null ? `ended on ${version.validTo}` : `only exists from ${version.validFrom}`;
    throw new DomainError('CONFLICT', `${version.name} (${version.code}) ${when}; it cannot take children from ${effectiveDate}`, [
      { field, rule: 'in-force-from-effective-date', message: `${version.code} ${when}` },
    ]);
  }
}

/** Merge: at least two distinct predecessors; a surviving successor is one of them. */
export function checkMergePlan(predecessorCodes: readonly string[], successor: { existingCode?: string | undefined; code?: string | undefined }): void {
  const errors: FieldError[] = [];
  duplicates(predecessorCodes).forEach((code) => errors.push({ field: 'predecessorCodes', rule: 'distinct', message: `${code} is listed twice` }));
  if (successor.existingCode !== undefined && !predecessorCodes.includes(successor.existingCode)) {
    errors.push({ field: 'successor.existingCode', rule: 'one-of-predecessors', message: `a surviving successor must be one of the merged divisions, not ${successor.existingCode}` });
  }
  if (successor.code !== undefined) requireLevel(successor.code, 'successor.code', errors);
  throwIfAny(errors);
}

export interface SplitSuccessorPlan {
  existingCode?: string | undefined;
  code?: string | undefined;
  childCodes: readonly string[];
}

/**
 * Split: every child of the predecessor in force on the effective date goes to exactly one
 * successor; an unassigned child, a child given twice and a code that is not a child are named.
 * Successors are distinct, and at most one of them is the predecessor itself.
 */
export function checkSplitPlan(children: readonly { code: string; name: string }[], successors: readonly SplitSuccessorPlan[]): void {
  const errors: FieldError[] = [];
  const childCodes = new Set(children.map((c) => c.code));
  const assigned = new Map<string, number>();
  successors.forEach((s, i) => {
    if (s.code !== undefined) requireLevel(s.code, `successors[${i}].code`, errors);
    s.childCodes.forEach((code, j) => {
      if (!childCodes.has(code)) errors.push({ field: `successors[${i}].childCodes[${j}]`, rule: 'child-of-predecessor', message: `${code} is not a child of the divided division on the effective date` });
      else if (assigned.has(code)) errors.push({ field: `successors[${i}].childCodes[${j}]`, rule: 'assigned-once', message: `${code} is already given to successors[${assigned.get(code)}]` });
      else assigned.set(code, i);
    });
  });
  for (const child of children) {
    if (!assigned.has(child.code)) errors.push({ field: 'successors', rule: 'every-child-assigned', message: `child ${child.name} (${child.code}) is not given to any successor` });
  }
  const keys = successors.map((s) => s.existingCode ?? s.code ?? '');
  duplicates(keys).forEach((code) => errors.push({ field: 'successors', rule: 'distinct', message: `successor ${code} is listed twice` }));
  throwIfAny(errors);
}

/** Abolishing without a successor leaves no orphans: refused while children are in force. */
export function checkAbolishWithoutSuccessor(division: { code: string; name: string }, children: readonly { code: string; name: string }[], effectiveDate: string): void {
  if (children.length === 0) return;
  const listed = children
    .slice(0, 10)
    .map((c) => `${c.name} (${c.code})`)
    .join(', ');
  throw new DomainError(
    'CONFLICT',
    `${division.name} (${division.code}) still has ${children.length} division(s) in force on ${effectiveDate}: ${listed}${children.length > 10 ? ', …' : ''}; name a successor that takes them, or move them first`,
    [{ field: 'successorCode', rule: 'required-with-children', message: 'required while the division has children in force' }],
  );
}

/** The refusal when a code is already used by another division in an overlapping period. */
export function codeInUse(code: string, field: string, holder?: { name: string; validFrom: string; validTo: string | null }): DomainError {
  const during = holder ? ` by ${holder.name} from ${holder.validFrom}${holder.validTo ? ` to ${holder.validTo}` : ''}` : ' by another division in an overlapping period';
  return new DomainError('CONFLICT', `code ${code} is already in use${during}`, [{ field, rule: CODE_IN_USE, message: `${code} is already in use${during}` }]);
}

/**
 * The rule name (and field-error rule) of a code already in force for another division. The
 * shared error codes have no CODE_IN_USE yet, so it travels as a CONFLICT (409) whose field error
 * carries this rule.
 */
export const CODE_IN_USE = 'CODE_IN_USE';

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) twice.add(v);
    seen.add(v);
  }
  return [...twice];
}
