/**
 * The district social work station's activities in 2023 (the report's "各类志愿服务活动20余场"):
 * 24 activities over the year in the townships, of the kinds the station runs, each recorded after
 * it took place with the number of people served.
 */
import type { SocialWorkKind } from '@civil/contracts';
import { recordSocialWorkActivitySchema } from '@civil/contracts';
import type { Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { SocialWorkService } from '../social-work/social-work.service';
import { REGISTRAR, STATION_ID, TOWNSHIPS } from './demo-support';

export interface PlannedActivity {
  kind: SocialWorkKind;
  title: string;
  /** A township of the district (index into TOWNSHIPS). */
  township: number;
  heldOn: string;
  personsServed: number;
}

/** The year's activities, in the order they took place. */
export const SOCIAL_WORK_2023: readonly PlannedActivity[] = [
  { kind: 'elderly-care-visit', title: '新春关怀慰问空巢及孤寡老人', township: 0, heldOn: '2023-01-12', personsServed: 46 },
  { kind: 'tekun-family', title: '春节前特困家庭走访帮扶', township: 11, heldOn: '2023-01-16', personsServed: 38 },
  { kind: 'children-in-difficulty', title: '寒假留守及困境儿童关爱活动', township: 12, heldOn: '2023-02-08', personsServed: 32 },
  { kind: 'volunteer-service', title: '学雷锋志愿服务月：社区便民服务', township: 2, heldOn: '2023-03-03', personsServed: 85 },
  { kind: 'elderly-care-visit', title: '独居老人居家安全检查与关怀', township: 5, heldOn: '2023-03-22', personsServed: 27 },
  { kind: 'children-in-difficulty', title: '困境儿童心理健康团体辅导', township: 9, heldOn: '2023-04-12', personsServed: 24 },
  { kind: 'tekun-family', title: '特困供养人员生活照料需求评估', township: 13, heldOn: '2023-04-20', personsServed: 31 },
  { kind: 'other', title: '“5·12”防灾减灾社区宣传', township: 6, heldOn: '2023-05-12', personsServed: 120 },
  { kind: 'children-in-difficulty', title: '“六一”留守及困境儿童关爱', township: 11, heldOn: '2023-05-31', personsServed: 45 },
  { kind: 'elderly-care-visit', title: '端午节关怀慰问空巢及孤寡老人', township: 3, heldOn: '2023-06-20', personsServed: 40 },
  { kind: 'volunteer-service', title: '夏季防溺水志愿宣传', township: 10, heldOn: '2023-07-05', personsServed: 96 },
  { kind: 'children-in-difficulty', title: '暑期留守儿童“四点半课堂”', township: 1, heldOn: '2023-07-19', personsServed: 36 },
  { kind: 'tekun-family', title: '特困家庭防暑降温物资送达', township: 12, heldOn: '2023-07-27', personsServed: 29 },
  { kind: 'elderly-care-visit', title: '高龄老人生日关怀与健康义诊', township: 7, heldOn: '2023-08-16', personsServed: 52 },
  { kind: 'children-in-difficulty', title: '开学季困境儿童助学关爱', township: 8, heldOn: '2023-08-30', personsServed: 28 },
  { kind: 'volunteer-service', title: '“中华慈善日”志愿服务', township: 0, heldOn: '2023-09-05', personsServed: 74 },
  { kind: 'elderly-care-visit', title: '中秋国庆关怀慰问空巢及孤寡老人', township: 4, heldOn: '2023-09-26', personsServed: 48 },
  { kind: 'elderly-care-visit', title: '重阳节敬老孝老主题活动', township: 11, heldOn: '2023-10-23', personsServed: 65 },
  { kind: 'tekun-family', title: '特困家庭入冬帮扶走访', township: 13, heldOn: '2023-11-08', personsServed: 33 },
  { kind: 'children-in-difficulty', title: '困境儿童“微心愿”认领', township: 6, heldOn: '2023-11-22', personsServed: 30 },
  { kind: 'other', title: '社区社会组织骨干能力培训', township: 2, heldOn: '2023-11-29', personsServed: 42 },
  { kind: 'volunteer-service', title: '“12·5”国际志愿者日社区服务', township: 9, heldOn: '2023-12-05', personsServed: 88 },
  { kind: 'elderly-care-visit', title: '冬季关怀慰问空巢及孤寡老人', township: 5, heldOn: '2023-12-14', personsServed: 44 },
  { kind: 'tekun-family', title: '年末特困家庭帮扶慰问', township: 12, heldOn: '2023-12-21', personsServed: 35 },
];

export async function generateSocialWorkDemo(dataSource: DataSource, outbox: Outbox, logger: Logger, activities: readonly PlannedActivity[] = SOCIAL_WORK_2023): Promise<{ activities: number; personsServed: number }> {
  const service = new SocialWorkService(outbox, dataSource);
  for (const a of activities) {
    const input = recordSocialWorkActivitySchema.parse({ stationId: STATION_ID, kind: a.kind, title: a.title, divisionCode: TOWNSHIPS[a.township]?.code ?? '', heldOn: a.heldOn, personsServed: a.personsServed });
    await service.record(input, REGISTRAR, a.heldOn);
  }
  const personsServed = activities.reduce((n, a) => n + a.personsServed, 0);
  logger.info({ activities: activities.length, personsServed }, 'demo: social work activities recorded');
  return { activities: activities.length, personsServed };
}
