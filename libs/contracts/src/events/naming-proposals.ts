import type { NamingProposalKind } from '../messages/naming';
import type { PlaceNameCategory } from '../messages/place-names';

/**
 * The naming and renaming workflow (命名、更名). The name itself reaches the gazetteer through
 * `place-name.named` / `place-name.renamed`, emitted in the announcement's transaction and
 * carrying the proposal id. No personal data: the envelope's actor says who acted.
 */
export const NamingProposalEvents = {
  submitted: 'civil.place-names.naming-proposal.submitted.v1',
  returned: 'civil.place-names.naming-proposal.returned.v1',
  approved: 'civil.place-names.naming-proposal.approved.v1',
  rejected: 'civil.place-names.naming-proposal.rejected.v1',
  announced: 'civil.place-names.naming-proposal.announced.v1',
  withdrawn: 'civil.place-names.naming-proposal.withdrawn.v1',
} as const;

export interface NamingProposalEventData {
  proposalId: string;
  kind: NamingProposalKind;
  /** The proposed name. */
  name: string;
  category: PlaceNameCategory;
  divisionCode: string;
  /** The place renamed (renaming), or the place created once a naming is announced. */
  placeNameId: string | null;
}

export type NamingProposalSubmittedV1 = NamingProposalEventData & { warnings: number };
export type NamingProposalReturnedV1 = NamingProposalEventData;
export type NamingProposalApprovedV1 = NamingProposalEventData & { approval: { authority: string; date: string; documentNumber: string } };
export type NamingProposalRejectedV1 = NamingProposalEventData;
export type NamingProposalAnnouncedV1 = NamingProposalEventData & {
  placeNameId: string;
  announcementNumber: string;
  announcedOn: string;
  effectiveDate: string;
};
export type NamingProposalWithdrawnV1 = NamingProposalEventData;
