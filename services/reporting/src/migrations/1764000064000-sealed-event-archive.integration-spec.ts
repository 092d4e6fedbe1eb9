import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { buildResidentId } from '@civil/domain-kernel';
import { DibaoCaseEvents, TekunEvents, createEvent, type DibaoHouseholdAdjustedV1, type SealedResidentId, type TekunChangedV1 } from '@civil/contracts';
import { PersonalDataCipher, serviceDataSourceOptions } from '@civil/platform';
import { createTestDatabase } from '@civil/testing';
import { REPORTING_MIGRATIONS } from '../data-source';
import { SealedEventArchive1764000064000 } from './1764000064000-sealed-event-archive';

/**
 * SealedEventArchive1764000064000: events archived before events were sealed (a 低保 adjustment
 * and a 特困 change with plain numbers) are rewritten in place, id and everything else kept, so
 * the archive projections are rebuilt from holds no readable resident ID.
 */
describe('migration SealedEventArchive1764000064000 (PostgreSQL)', () => {
  const cipher = PersonalDataCipher.fromEnvironment(process.env);
  const member = buildResidentId('430503', '1966-06-06', 31).value;
  const person = buildResidentId('430503', '1944-04-04', 32).value;
  let dataSource: DataSource;

  it('seals the plain resident IDs of archived events and keeps the rest of each envelope', async () => {
    const url = await createTestDatabase('sealed_event_archive');
    const old = new DataSource(serviceDataSourceOptions({ url, entities: [], migrations: REPORTING_MIGRATIONS.filter((m) => m !== SealedEventArchive1764000064000), applicationName: 'sealed-archive-test' }));
    await old.initialize();
    await old.runMigrations();
    const adjusted = createEvent<DibaoHouseholdAdjustedV1>({
      source: '/civil/social-assistance',
      type: DibaoCaseEvents.householdAdjusted,
      subject: `household/${uuidv7()}`,
      divisioncode: '430503101001',
      actor: 'approver',
      data: { householdId: uuidv7(), caseId: uuidv7(), urbanRural: 'rural', personsBefore: 2, personsAfter: 1, monthlyAmountBeforeFen: 60_000, monthlyAmountAfterFen: 30_000, effectivePeriod: '2023-05', reason: '家庭成员变化', memberResidentIds: [member] },
    });
    const changed = createEvent<TekunChangedV1>({
      source: '/civil/social-assistance',
      type: TekunEvents.changed,
      subject: `tekun-person/${uuidv7()}`,
      divisioncode: '430503101001',
      actor: 'approver',
      data: { personId: uuidv7(), residentId: person, urbanRural: 'rural', careModeBefore: 'dispersed', careModeAfter: 'centralized', selfCareLevelBefore: 'full', selfCareLevelAfter: 'none', monthlyAmountBeforeFen: 73_300, monthlyAmountAfterFen: 98_000, effectivePeriod: '2023-06', reason: '入住敬老院' },
    });
    for (const event of [adjusted, changed]) {
      await old.query(
        `INSERT INTO event_archive (id, type, source, subject, division_code, event_time, actor, envelope, stream_sequence) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)`,
        [event.id, event.type, event.source, event.subject, event.divisioncode, event.time, event.actor, JSON.stringify(event)],
      );
    }
    await old.destroy();

    dataSource = new DataSource(serviceDataSourceOptions({ url, entities: [], migrations: REPORTING_MIGRATIONS, applicationName: 'sealed-archive-test' }));
    await dataSource.initialize();
    expect((await dataSource.runMigrations()).map((m) => m.name)).toEqual(['SealedEventArchive1764000064000']);

    const rows = await dataSource.query<{ id: string; envelope: { id: string; time: string; data: Record<string, unknown> }; row: string }[]>(
      `SELECT id, envelope, row_to_json(a)::text AS row FROM event_archive a ORDER BY id`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([adjusted.id, changed.id].sort());
    for (const row of rows) {
      expect(row.row).not.toContain(member.slice(6));
      expect(row.row).not.toContain(person.slice(6));
    }
    const byId = new Map(rows.map((r) => [r.id, r.envelope]));
    const adjustedNow = byId.get(adjusted.id);
    expect(adjustedNow).toMatchObject({ id: adjusted.id, time: adjusted.time, data: { reason: '家庭成员变化', personsAfter: 1 } });
    expect((adjustedNow?.data.members as SealedResidentId[]).map((m) => cipher.unseal(m))).toEqual([member]);
    const changedNow = byId.get(changed.id);
    expect(changedNow?.data).not.toHaveProperty('residentId');
    expect(cipher.unseal(changedNow?.data.resident as SealedResidentId)).toBe(person);
    await dataSource.destroy();
  }, 120_000);
});
