import type { DivisionChangeKind, DivisionRef } from '../messages/divisions';

export const DivisionEvents = {
  changed: 'civil.place-names.division.changed.v1',
} as const;

/**
 * One event per division change, subject `division/<id>`. For create, rename, recode and move the
 * predecessors hold the state before (empty for create) and the successors the state after; for
 * merge, split and abolish they are the divisions that ended and those that carry on.
 */
export interface DivisionChangedV1 {
  changeId: string;
  kind: DivisionChangeKind;
  /** YYYY-MM-DD, the first day the new state is in force. */
  effectiveDate: string;
  documentNumber: string;
  predecessors: DivisionRef[];
  successors: DivisionRef[];
}
