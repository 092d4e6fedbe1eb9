/**
 * The institutions part of the 2023 demo: the district's 13 care institutions — 5 public
 * 敬老院 in the townships (集中供养 of 特困 persons) and 8 private 养老院/颐养中心 — opened
 * before 2023 with beds by type, residents admitted before 2023 and during it, discharges
 * (deaths, going home, transfers), one enlargement, and the year's fire, food and infection-control
 * inspections with findings and their rectifications (one late, one still open at year end).
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { addDays, buildResidentId } from '@civil/domain-kernel';
import type { CareBedCounts, CareBedType, CareDischargeReason, CareFindingSeverity, CareFunding, CareInspectionKind, CareInstitutionOwnership } from '@civil/contracts';
import type { Outbox, PersonalDataCipher } from '@civil/platform';
import { InstitutionsService } from '../institutions/institutions.service';
import { OFFICER, inPool, intBetween, olderName, pick, seededRng, weekdayAfter, weekdayOnOrAfter, type Rng } from './demo-support';
import { SEED_2023 } from './seed-2023';

const YEAR = SEED_2023.year;

export interface PlannedInstitution {
  name: string;
  ownership: CareInstitutionOwnership;
  divisionCode: string;
  address: string;
  licenceNumber?: string;
  openedOn: string;
  beds: CareBedCounts;
  /** Beds added on a date in 2023 (a new wing). */
  enlargement?: { effectiveFrom: string; beds: CareBedCounts; reason: string };
}

export const INSTITUTIONS_2023: readonly PlannedInstitution[] = [
  { name: '大祥区罗市镇敬老院', ownership: 'public', divisionCode: '430503101000', address: '大祥区罗市镇罗市村敬老院路8号', openedOn: '2008-10-01', beds: { 'self-care': 40, 'semi-dependent': 12, dependent: 8 } },
  { name: '大祥区蔡锷乡敬老院', ownership: 'public', divisionCode: '430503202000', address: '大祥区蔡锷乡蔡锷村一组', openedOn: '2010-06-18', beds: { 'self-care': 32, 'semi-dependent': 10, dependent: 6 } },
  { name: '大祥区板桥乡敬老院', ownership: 'public', divisionCode: '430503203000', address: '大祥区板桥乡板桥村328号', openedOn: '2009-09-09', beds: { 'self-care': 36, 'semi-dependent': 10, dependent: 6 } },
  { name: '大祥区雨溪街道敬老院', ownership: 'public', divisionCode: '430503010000', address: '大祥区雨溪街道雨溪桥社区', openedOn: '2012-03-28', beds: { 'self-care': 28, 'semi-dependent': 8, dependent: 4 } },
  { name: '大祥区檀江街道敬老院', ownership: 'public', divisionCode: '430503011000', address: '大祥区檀江街道檀江村', openedOn: '2011-11-11', beds: { 'self-care': 30, 'semi-dependent': 10, dependent: 5 } },
  { name: '邵阳市大祥区福寿康养老院', ownership: 'private', divisionCode: '430503001000', address: '大祥区中心路街道敏州西路112号', licenceNumber: '湘民养备430503-2016-001', openedOn: '2016-05-20', beds: { 'self-care': 60, 'semi-dependent': 30, dependent: 20 } },
  { name: '邵阳市大祥区康乐颐养中心', ownership: 'private', divisionCode: '430503004000', address: '大祥区城西街道西湖路56号', licenceNumber: '湘民养备430503-2017-003', openedOn: '2017-08-08', beds: { 'self-care': 50, 'semi-dependent': 30, dependent: 20 }, enlargement: { effectiveFrom: '2023-07-01', beds: { 'self-care': 50, 'semi-dependent': 40, dependent: 30 }, reason: '新建护理楼二层投入使用' } },
  { name: '邵阳市大祥区夕阳红养老院', ownership: 'private', divisionCode: '430503007000', address: '大祥区城南街道宝庆中路208号', licenceNumber: '湘民养备430503-2015-002', openedOn: '2015-04-16', beds: { 'self-care': 40, 'semi-dependent': 20, dependent: 10 } },
  { name: '邵阳市大祥区安康养老院', ownership: 'private', divisionCode: '430503003000', address: '大祥区城北路街道城北路77号', licenceNumber: '湘民养备430503-2018-005', openedOn: '2018-10-18', beds: { 'self-care': 45, 'semi-dependent': 25, dependent: 10 } },
  { name: '邵阳市大祥区百春园颐养中心', ownership: 'private', divisionCode: '430503006000', address: '大祥区百春园街道百春园路15号', licenceNumber: '湘民养备430503-2019-002', openedOn: '2019-06-06', beds: { 'self-care': 70, 'semi-dependent': 40, dependent: 30 } },
  { name: '邵阳市大祥区翠园颐养中心', ownership: 'private', divisionCode: '430503005000', address: '大祥区翠园街道翠园路39号', licenceNumber: '湘民养备430503-2020-004', openedOn: '2020-09-26', beds: { 'self-care': 40, 'semi-dependent': 30, dependent: 20 } },
  { name: '邵阳市大祥区仁和养老院', ownership: 'private', divisionCode: '430503009000', address: '大祥区学院路街道学院路260号', licenceNumber: '湘民养备430503-2021-001', openedOn: '2021-03-15', beds: { 'self-care': 35, 'semi-dependent': 15, dependent: 10 } },
  { name: '邵阳市大祥区松鹤颐养中心', ownership: 'private', divisionCode: '430503008000', address: '大祥区火车南站街道站前路18号', licenceNumber: '湘民养备430503-2022-002', openedOn: '2022-04-28', beds: { 'self-care': 40, 'semi-dependent': 20, dependent: 20 } },
];

export interface PlannedStay {
  institution: number;
  residentId: string;
  name: string;
  bedType: CareBedType;
  funding: CareFunding;
  admittedOn: string;
  discharge?: { on: string; reason: CareDischargeReason; note?: string };
}

export interface PlannedInspection {
  institution: number;
  kind: CareInspectionKind;
  inspectedOn: string;
  inspector: string;
  summary: string;
  findings: { description: string; severity: CareFindingSeverity; deadline: string; rectifiedOn?: string; verifiedBy?: string }[];
}

/** Occupancy at the start of 2023 by bed type: fuller for the cheaper beds of the public 敬老院. */
const FILL: Record<CareInstitutionOwnership, Record<CareBedType, number>> = {
  public: { 'self-care': 0.55, 'semi-dependent': 0.6, dependent: 0.5 },
  private: { 'self-care': 0.45, 'semi-dependent': 0.6, dependent: 0.65 },
};

/**
 * The stays: residents in care on 1 January 2023 (admitted since the opening), some admitted
 * during 2023, some of both discharged during 2023; never more than the beds of the type.
 */
export function planStays(): PlannedStay[] {
  const rng = seededRng(20230013);
  const used = new Set<string>();
  const stays: PlannedStay[] = [];
  let n = 5000;
  const person = (r: Rng): { residentId: string; name: string } => {
    for (;;) {
      const age = intBetween(r, 65, 96);
      const birthDate = `${YEAR - age}-${String(intBetween(r, 1, 12)).padStart(2, '0')}-${String(intBetween(r, 1, 28)).padStart(2, '0')}`;
      const residentId = buildResidentId('430503', birthDate, intBetween(r, 1, 999)).value;
      if (used.has(residentId)) continue;
      used.add(residentId);
      return { residentId, name: olderName(n++) };
    }
  };
  INSTITUTIONS_2023.forEach((inst, institution) => {
    for (const bedType of ['self-care', 'semi-dependent', 'dependent'] as const) {
      const beds = inst.beds[bedType];
      const before = Math.round(beds * FILL[inst.ownership][bedType]);
      const funding = (): CareFunding => (inst.ownership === 'public' ? (rng() < 0.9 ? 'tekun-centralized' : 'self-paying') : rng() < 0.92 ? 'self-paying' : 'other');
      const opened = inst.openedOn;
      const span = Math.max(30, (Date.parse(`${YEAR - 1}-12-20`) - Date.parse(opened)) / 86_400_000);
      for (let i = 0; i < before; i++) {
        const admittedOn = weekdayOnOrAfter(addDays(opened, Math.min(Math.floor(span) - 5, Math.floor(rng() * span))));
        const discharge = rng() < 0.12 ? dischargeIn2023(rng, `${YEAR}-01-02`) : undefined;
        stays.push({ institution, ...person(rng), bedType, funding: funding(), admittedOn: admittedOn > `${YEAR - 1}-12-30` ? `${YEAR - 1}-12-30` : admittedOn, ...(discharge ? { discharge } : {}) });
      }
      // Admissions during 2023: a few per bed type, within the beds left (the enlargement's beds too).
      const bedsLater = inst.enlargement ? inst.enlargement.beds[bedType] : beds;
      const free = Math.min(beds - before, bedsLater - before);
      const during = Math.min(free, intBetween(rng, 1, 4) + (bedsLater > beds ? bedsLater - beds - 2 : 0));
      for (let i = 0; i < during; i++) {
        const admittedOn = weekdayOnOrAfter(`${YEAR}-${String(intBetween(rng, 1, 11)).padStart(2, '0')}-${String(intBetween(rng, 1, 28)).padStart(2, '0')}`);
        const discharge = rng() < 0.15 ? dischargeIn2023(rng, addDays(admittedOn, 20)) : undefined;
        stays.push({ institution, ...person(rng), bedType, funding: funding(), admittedOn, ...(discharge ? { discharge } : {}) });
      }
    }
  });
  return stays;
}

function dischargeIn2023(rng: Rng, after: string): { on: string; reason: CareDischargeReason; note?: string } | undefined {
  const on = weekdayAfter(rng, after, 1, 300);
  if (on > `${YEAR}-12-29`) return undefined;
  const reason = pick(rng, ['death', 'death', 'home', 'home', 'transfer'] as const);
  return reason === 'transfer' ? { on, reason, note: '转入市社会福利院' } : { on, reason };
}

export const INSPECTIONS_2023: readonly PlannedInspection[] = [
  {
    institution: 0,
    kind: 'fire',
    inspectedOn: '2023-03-15',
    inspector: '大祥区消防救援大队、区民政局联合检查组',
    summary: '消防安全专项检查',
    findings: [
      { description: '二楼疏散通道堆放杂物', severity: 'major', deadline: '2023-03-22', rectifiedOn: '2023-03-20', verifiedBy: '区民政局养老服务股' },
      { description: '部分灭火器压力不足', severity: 'minor', deadline: '2023-03-31', rectifiedOn: '2023-03-28', verifiedBy: '区民政局养老服务股' },
    ],
  },
  {
    institution: 5,
    kind: 'food',
    inspectedOn: '2023-05-10',
    inspector: '大祥区市场监督管理局',
    summary: '食堂食品安全检查',
    findings: [{ description: '留样记录不完整', severity: 'minor', deadline: '2023-05-31', rectifiedOn: '2023-06-09', verifiedBy: '区市场监督管理局' }],
  },
  { institution: 9, kind: 'infection-control', inspectedOn: '2023-06-20', inspector: '大祥区卫生健康局', summary: '院感防控检查，未发现问题', findings: [] },
  {
    institution: 7,
    kind: 'fire',
    inspectedOn: '2023-09-12',
    inspector: '大祥区消防救援大队',
    summary: '秋冬季消防安全检查',
    findings: [
      { description: '厨房燃气报警器失效', severity: 'critical', deadline: '2023-09-15', rectifiedOn: '2023-09-14', verifiedBy: '大祥区消防救援大队' },
      { description: '消防控制室值班记录缺失', severity: 'minor', deadline: '2023-09-30', rectifiedOn: '2023-09-27', verifiedBy: '大祥区消防救援大队' },
    ],
  },
  {
    institution: 2,
    kind: 'food',
    inspectedOn: '2023-11-08',
    inspector: '大祥区市场监督管理局',
    summary: '食堂食品安全检查',
    findings: [{ description: '冷藏柜生熟食品未分区存放', severity: 'major', deadline: '2024-01-15' }],
  },
  { institution: 12, kind: 'infection-control', inspectedOn: '2023-12-05', inspector: '大祥区卫生健康局', summary: '冬季院感防控检查，未发现问题', findings: [] },
];

export interface InstitutionsDemoResult {
  institutions: number;
  stays: number;
  admittedIn2023: number;
  dischargedIn2023: number;
  inspections: number;
  findings: number;
  rectifications: number;
}

export async function generateInstitutionsDemo(dataSource: DataSource, outbox: Outbox, cipher: PersonalDataCipher, logger: Logger, concurrency = 4): Promise<InstitutionsDemoResult> {
  const service = new InstitutionsService(outbox, dataSource, cipher);
  const ids: string[] = [];
  for (const inst of INSTITUTIONS_2023) {
    const view = await service.register(
      { name: inst.name, ownership: inst.ownership, divisionCode: inst.divisionCode, address: inst.address, ...(inst.licenceNumber ? { licenceNumber: inst.licenceNumber } : {}), openedOn: inst.openedOn, beds: inst.beds },
      OFFICER,
      inst.openedOn,
    );
    ids.push(view.id);
  }
  const idOf = (i: number): string => ids[i] ?? '';
  for (const [i, inst] of INSTITUTIONS_2023.entries()) {
    if (inst.enlargement) await service.changeBeds({ id: idOf(i), ...inst.enlargement }, OFFICER);
  }

  // Stays in the order of their admission (one institution's bed counter at a time, concurrently across institutions).
  const stays = planStays().sort((a, b) => a.admittedOn.localeCompare(b.admittedOn));
  const byInstitution = INSTITUTIONS_2023.map((_, i) => stays.filter((s) => s.institution === i));
  await inPool(byInstitution, concurrency, async (list, i) => {
    // Admit in date order, discharging whoever leaves before each admission, so the counter follows the calendar.
    const pending: { admissionId: string; stay: PlannedStay }[] = [];
    const dischargeUpTo = async (date: string): Promise<void> => {
      pending.sort((a, b) => (a.stay.discharge?.on ?? '').localeCompare(b.stay.discharge?.on ?? ''));
      while (pending[0] && (pending[0].stay.discharge?.on ?? '9999') <= date) {
        const next = pending.shift();
        const d = next?.stay.discharge;
        if (!next || !d) break;
        await service.discharge({ institutionId: idOf(i), admissionId: next.admissionId, dischargedOn: d.on, reason: d.reason, ...(d.note ? { note: d.note } : {}) }, OFFICER, d.on);
      }
    };
    for (const stay of list) {
      await dischargeUpTo(stay.admittedOn);
      const admission = await service.admit(
        { institutionId: idOf(i), residentId: stay.residentId, residentName: stay.name, admittedOn: stay.admittedOn, bedType: stay.bedType, funding: stay.funding },
        OFFICER,
        stay.admittedOn,
      );
      if (stay.discharge) pending.push({ admissionId: admission.id, stay });
    }
    await dischargeUpTo(`${YEAR}-12-31`);
  });

  let findings = 0;
  let rectifications = 0;
  for (const inspection of INSPECTIONS_2023) {
    const view = await service.recordInspection(
      {
        institutionId: idOf(inspection.institution),
        kind: inspection.kind,
        inspectedOn: inspection.inspectedOn,
        inspector: inspection.inspector,
        summary: inspection.summary,
        findings: inspection.findings.map((f) => ({ description: f.description, severity: f.severity, deadline: f.deadline })),
      },
      OFFICER,
      inspection.inspectedOn,
    );
    findings += inspection.findings.length;
    for (const [k, f] of inspection.findings.entries()) {
      const finding = view.findings[k];
      if (!finding || f.rectifiedOn === undefined) continue;
      await service.rectify({ institutionId: idOf(inspection.institution), findingId: finding.id, rectifiedOn: f.rectifiedOn, verifiedBy: f.verifiedBy ?? '区民政局' }, OFFICER, f.rectifiedOn);
      rectifications++;
    }
  }
  const result = {
    institutions: ids.length,
    stays: stays.length,
    admittedIn2023: stays.filter((s) => s.admittedOn >= `${YEAR}-01-01`).length,
    dischargedIn2023: stays.filter((s) => s.discharge !== undefined).length,
    inspections: INSPECTIONS_2023.length,
    findings,
    rectifications,
  };
  logger.info(result, 'demo: care institutions done');
  return result;
}
