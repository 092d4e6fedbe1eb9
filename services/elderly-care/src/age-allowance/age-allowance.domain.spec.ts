import { buildResidentId } from '@civil/domain-kernel';
import { allowanceStarts, bandIn, birthdayAt, paidThroughFor } from './age-allowance.domain';
import { sweepEvents } from './age-allowance-sweep.service';

describe('birthdayAt', () => {
  it.each([
    ['1933-05-17', 90, '2023-05-17'],
    ['1923-12-31', 100, '2023-12-31'],
    // ResidentId.ageOn's rule: a 29 February birthday falls on 1 March in common years …
    ['1932-02-29', 90, '2022-03-01'],
    // … and on 29 February in leap years.
    ['1934-02-29', 90, '2024-02-29'],
  ])('born %s: birthday %i is %s', (birth, age, expected) => {
    expect(birthdayAt(birth, age)).toBe(expected);
  });

  it('agrees with ResidentId.ageOn on the day before and the day of', () => {
    for (const birth of ['1933-05-17', '1932-02-29', '1933-06-01', '1933-12-31']) {
      const id = buildResidentId('430503', birth, 1);
      const day = birthdayAt(birth, 90);
      const before = new Date(`${day}T00:00:00Z`);
      before.setUTCDate(before.getUTCDate() - 1);
      expect(id.ageOn(day)).toBe(90);
      expect(id.ageOn(before.toISOString().slice(0, 10))).toBe(89);
    }
  });
});

describe('allowanceStarts', () => {
  it('starts each band the month after the birthday', () => {
    expect(allowanceStarts('1933-05-17', null)).toEqual({ highAgeFrom: '2023-06', longevityFrom: '2033-06' });
  });

  it('starts the next month even for a birthday on the 1st, and crosses the year end', () => {
    expect(allowanceStarts('1933-06-01', null)).toEqual({ highAgeFrom: '2023-07', longevityFrom: '2033-07' });
    expect(allowanceStarts('1933-12-31', null)).toEqual({ highAgeFrom: '2024-01', longevityFrom: '2034-01' });
    expect(allowanceStarts('1933-12-01', null).highAgeFrom).toBe('2024-01');
  });

  it('counts a 29 February birthday from 1 March in a common year', () => {
    expect(allowanceStarts('1932-02-29', null).highAgeFrom).toBe('2022-04');
    expect(allowanceStarts('1934-02-29', null).highAgeFrom).toBe('2024-03');
  });

  it('starts no earlier than the month after moving into the district', () => {
    expect(allowanceStarts('1930-03-03', '2023-08-20')).toEqual({ highAgeFrom: '2023-09', longevityFrom: '2030-04' });
    expect(allowanceStarts('1920-03-03', '2023-08-20')).toEqual({ highAgeFrom: '2023-09', longevityFrom: '2023-09' });
    // Moved in long before: the birthday decides.
    expect(allowanceStarts('1933-05-17', '1990-01-01').highAgeFrom).toBe('2023-06');
  });
});

describe('bandIn', () => {
  const turning90 = { ...allowanceStarts('1933-05-17', null), paidThrough: null };

  it('pays nothing the month of the 90th birthday, high-age from the month after', () => {
    expect(bandIn('2023-04', turning90)).toBeNull();
    expect(bandIn('2023-05', turning90)).toBeNull();
    expect(bandIn('2023-06', turning90)).toBe('high-age');
  });

  it('moves to longevity the month after the 100th birthday', () => {
    const turning100 = { ...allowanceStarts('1923-05-17', null), paidThrough: null };
    expect(bandIn('2023-05', turning100)).toBe('high-age');
    expect(bandIn('2023-06', turning100)).toBe('longevity');
  });

  it('pays through the month of death or of moving away, not after', () => {
    const died = { ...turning90, paidThrough: paidThroughFor('2023-08-15') };
    expect(bandIn('2023-08', died)).toBe('high-age');
    expect(bandIn('2023-09', died)).toBeNull();
    expect(paidThroughFor('2023-08-31')).toBe('2023-08');
    expect(paidThroughFor('2023-09-01')).toBe('2023-09');
  });
});

describe('sweepEvents', () => {
  const row = (more: Partial<Parameters<typeof sweepEvents>[0][number]>) => ({
    id: 'e1',
    person_id: 'p1',
    band: 'high-age' as const,
    division_code: '430503101000',
    first_period: '2023-06',
    last_period: null,
    end_reason: null,
    ...more,
  });

  it('turns a band move into one moved event, not a start, and a death into a stop', () => {
    const events = sweepEvents(
      [row({ id: 'h1', last_period: '2023-05', end_reason: 'moved-band' }), row({ id: 'h2', person_id: 'p2', last_period: '2023-05', end_reason: 'died' })],
      [row({ id: 'l1', band: 'longevity' }), row({ id: 'h3', person_id: 'p3' })],
    );
    expect(events.map((e) => [e.type, e.subject, e.data])).toEqual([
      ['civil.elderly-care.age-allowance-enrolment.started.v1', 'age-allowance-enrolment/h3', { enrolmentId: 'h3', personId: 'p3', band: 'high-age', firstPeriod: '2023-06' }],
      [
        'civil.elderly-care.age-allowance-enrolment.moved.v1',
        'age-allowance-enrolment/h1',
        { personId: 'p1', fromEnrolmentId: 'h1', fromBand: 'high-age', lastPeriod: '2023-05', toEnrolmentId: 'l1', toBand: 'longevity', firstPeriod: '2023-06' },
      ],
      ['civil.elderly-care.age-allowance-enrolment.stopped.v1', 'age-allowance-enrolment/h2', { enrolmentId: 'h2', personId: 'p2', band: 'high-age', lastPeriod: '2023-05', reason: 'died' }],
    ]);
  });

  it('gives a start and a stop for an enrolment made already ended', () => {
    const events = sweepEvents([], [row({ last_period: '2023-07', end_reason: 'moved-away' })]);
    expect(events.map((e) => e.type)).toEqual(['civil.elderly-care.age-allowance-enrolment.started.v1', 'civil.elderly-care.age-allowance-enrolment.stopped.v1']);
  });
});
