import { DivisionEvents, PlaceNameAuditEvents, PlaceNameEvents, createEvent, type EventEnvelope } from '@civil/contracts';
import { catalogue } from '../elements';
import { mapperIndex } from '../mapping';
import { PLACE_NAMES_ELEMENTS, PLACE_NAMES_MAPPERS } from './place-names';

const PUBLISHED = new Date('2024-03-15T17:00:00Z');

function envelope<T>(type: string, data: T, time = PUBLISHED): EventEnvelope<T> {
  return createEvent({ source: '/civil/place-names', type, subject: 'x/1', divisioncode: '430503000000', actor: 'user:1', data, time });
}

const index = mapperIndex(PLACE_NAMES_MAPPERS);
const map = (event: EventEnvelope) => {
  const mapper = index.get(event.type);
  if (!mapper) throw new Error(`no mapper for ${event.type}`);
  return mapper.map(event);
};

describe('place names mappers', () => {
  it('define the elements the report uses, once each', () => {
    const elements = catalogue(PLACE_NAMES_ELEMENTS);
    for (const code of ['place-names.renamed', 'place-names.named', 'place-names.audit.five-classes', 'place-names.audit.other', 'place-names.audit.corrected', 'place-names.audit.supplemented', 'divisions.changes']) {
      expect(elements.get(code)).toMatchObject({ kind: 'flow' });
    }
  });

  it('count a renaming on its effective date in the place’s division', () => {
    const event = envelope(PlaceNameEvents.renamed, {
      nameId: 'n1',
      oldName: '东方威尼斯小区',
      newName: '东方华庭',
      category: 'residential-area-or-building',
      divisionCode: '430503004012',
      effectiveDate: '2023-06-30',
      approval: { authority: '大祥区人民政府', date: '2023-06-20' },
      proposalId: 'p1',
    });
    expect(map(event)).toEqual({
      facts: [{ element: 'place-names.renamed', divisionCode: '430503004012', businessDate: '2023-06-30', urbanRural: null, value: 1, key: 'place-name-renamed:n1:2023-06-30' }],
      states: [],
    });
  });

  it('count a naming on its approval date, or on the day (China time) it entered the gazetteer when no approval date is known', () => {
    const approved = envelope(PlaceNameEvents.named, { nameId: 'n2', name: '雨溪路', category: 'street-road-lane', divisionCode: '430503004000', approval: { authority: '大祥区人民政府', date: '2023-02-01' } });
    expect(map(approved).facts).toEqual([{ element: 'place-names.named', divisionCode: '430503004000', businessDate: '2023-02-01', urbanRural: null, value: 1, key: 'place-name-named:n2' }]);
    const imported = envelope(PlaceNameEvents.named, { nameId: 'n3', name: '蔡锷乡', category: 'administrative-division', divisionCode: '430503', approval: { authority: null, date: null } });
    // 17:00 UTC on 15 March is 01:00 on 16 March in China.
    expect(map(imported).facts[0]).toMatchObject({ divisionCode: '430503000000', businessDate: '2024-03-16' });
  });

  it('count an abolished name on its effective date', () => {
    const event = envelope(PlaceNameEvents.abolished, { nameId: 'n4', name: '旧桥', category: 'infrastructure', divisionCode: '430503101000', effectiveDate: '2023-09-01', reason: '拆除', approval: { authority: null, date: null } });
    expect(map(event).facts.map((f) => [f.element, f.businessDate, f.value])).toEqual([['place-names.abolished', '2023-09-01', 1]]);
  });

  it('count an audited record once per campaign, in the five national classes or the others, with its outcome, on the review date', () => {
    const review = (category: string, outcome: string) =>
      map(envelope(PlaceNameAuditEvents.recordReviewed, { campaignId: 'c1', year: 2023, nameId: 'n5', category, divisionCode: '430503101000', outcome, reviewedOn: '2023-10-09' })).facts;
    expect(review('committee-seat', 'corrected')).toEqual([
      { element: 'place-names.audit.five-classes', divisionCode: '430503101000', businessDate: '2023-10-09', urbanRural: null, value: 1, key: 'place-name-audit:c1:n5:five-classes' },
      { element: 'place-names.audit.other', divisionCode: '430503101000', businessDate: '2023-10-09', urbanRural: null, value: 0, key: 'place-name-audit:c1:n5:other' },
      { element: 'place-names.audit.corrected', divisionCode: '430503101000', businessDate: '2023-10-09', urbanRural: null, value: 1, key: 'place-name-audit:c1:n5:corrected' },
      { element: 'place-names.audit.supplemented', divisionCode: '430503101000', businessDate: '2023-10-09', urbanRural: null, value: 0, key: 'place-name-audit:c1:n5:supplemented' },
    ]);
    expect(review('park-or-protected-area', 'supplemented').map((f) => [f.element, f.value])).toEqual([
      ['place-names.audit.five-classes', 0],
      ['place-names.audit.other', 1],
      ['place-names.audit.corrected', 0],
      ['place-names.audit.supplemented', 1],
    ]);
  });

  it('count a division change on its effective date in the division that carries on', () => {
    const event = envelope(DivisionEvents.changed, {
      changeId: 'ch1',
      kind: 'merge',
      effectiveDate: '2023-07-01',
      documentNumber: '湘政函〔2023〕12号',
      predecessors: [{ divisionId: 'd1', code: '430503101203', name: '甲村' }, { divisionId: 'd2', code: '430503101204', name: '乙村' }],
      successors: [{ divisionId: 'd1', code: '430503101203', name: '甲村' }],
    });
    expect(map(event).facts).toEqual([{ element: 'divisions.changes', divisionCode: '430503101203', businessDate: '2023-07-01', urbanRural: null, value: 1, key: 'division-change:ch1' }]);
  });
});
