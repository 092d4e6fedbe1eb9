import type { PlaceNameCategory } from '../messages/place-names';

export const PlaceNameEvents = {
  named: 'civil.place-names.place-name.named.v1',
} as const;

export interface PlaceNameNamedV1 {
  nameId: string;
  name: string;
  category: PlaceNameCategory;
  divisionCode: string;
  approval: { authority: string | null; date: string | null };
}
