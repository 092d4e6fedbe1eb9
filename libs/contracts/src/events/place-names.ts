import type { PlaceNameCategory } from '../messages/place-names';

export const PlaceNameEvents = {
  named: 'civil.place-names.place-name.named.v1',
  renamed: 'civil.place-names.place-name.renamed.v1',
  abolished: 'civil.place-names.place-name.abolished.v1',
  corrected: 'civil.place-names.place-name.corrected.v1',
} as const;

export interface PlaceNameApproval {
  authority: string | null;
  date: string | null;
}

export interface PlaceNameNamedV1 {
  nameId: string;
  name: string;
  category: PlaceNameCategory;
  divisionCode: string;
  approval: PlaceNameApproval;
  /** The naming proposal it came from, when it came through the workflow. */
  proposalId?: string;
}

export interface PlaceNameRenamedV1 {
  nameId: string;
  oldName: string;
  newName: string;
  category: PlaceNameCategory;
  divisionCode: string;
  effectiveDate: string;
  approval: PlaceNameApproval;
  proposalId?: string;
}

export interface PlaceNameAbolishedV1 {
  nameId: string;
  name: string;
  category: PlaceNameCategory;
  divisionCode: string;
  effectiveDate: string;
  reason: string;
  approval: PlaceNameApproval;
}

/** Details of a record corrected or supplemented (the names of the changed fields, not their values). */
export interface PlaceNameCorrectedV1 {
  nameId: string;
  category: PlaceNameCategory;
  divisionCode: string;
  fields: string[];
}
