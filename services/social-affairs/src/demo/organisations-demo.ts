/**
 * Social organisations of the 2023 demo: the 27 社会团体 and 108 民办非企业单位 the report names,
 * registered by the district over the years up to 2023 with valid 统一社会信用代码 (51/52 + the
 * district's code + an organisation code with its GB 11714 check character + the GB 32100 check
 * character); the annual inspection of every year they had to take one, mostly 合格, decided in
 * the spring after; a few changes of legal representative or address; and a few gradings in
 * 2023. None is deregistered, so the census on 2023-12-31 counts 27 + 108 = 135 — although the
 * report prints 133 as its total (reporting flags that inconsistency; the records stay truthful).
 */
import { CREDIT_CODE_CHARSET, creditCodeCheckChar, registerOrganisationSchema, type InspectionResult, type OrganisationType } from '@civil/contracts';
import type { Outbox } from '@civil/platform';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { OrganisationsService } from '../organisations/organisations.service';
import { isInspectionExempt } from '../organisations/organisations.domain';
import { PeopleFactory, REGISTRAR, TOWNSHIPS, dayByDay, inPool, intBetween, pick, seededRng, shuffled, workingDays, type Rng } from './demo-support';
import { SEED_2023 } from './seed-2023';

const YEAR = SEED_2023.year;

const SOCIAL_GROUPS: readonly [string, string][] = [
  ['个体劳动者协会', '为个体工商户提供政策宣传、业务培训、权益维护服务'],
  ['书法家协会', '组织书法创作、展览、交流与培训，普及书法艺术'],
  ['摄影家协会', '组织摄影创作、展览、采风与交流活动'],
  ['作家协会', '组织文学创作、研讨与交流，扶持文学新人'],
  ['音乐家协会', '组织音乐创作、演出与培训，开展群众性音乐活动'],
  ['美术家协会', '组织美术创作、展览与交流，开展美术普及活动'],
  ['舞蹈家协会', '组织舞蹈创作、展演与培训，推广广场舞等群众舞蹈'],
  ['戏剧家协会', '组织花鼓戏等戏剧创作、演出与传承活动'],
  ['民间文艺家协会', '挖掘、整理和传承民间文艺，组织展演交流'],
  ['诗词楹联学会', '开展诗词楹联创作、研讨与普及活动'],
  ['老年人体育协会', '组织老年人健身活动与体育比赛，普及科学健身'],
  ['篮球协会', '组织篮球训练、比赛与交流，推广篮球运动'],
  ['乒乓球协会', '组织乒乓球训练、比赛与交流活动'],
  ['钓鱼协会', '组织钓鱼比赛与交流，倡导文明垂钓、保护水生资源'],
  ['象棋协会', '组织象棋比赛、培训与交流活动'],
  ['太极拳协会', '推广太极拳运动，组织培训、展演与交流'],
  ['登山户外运动协会', '组织登山、徒步等户外运动及安全培训'],
  ['志愿者协会', '招募、培训和组织志愿者开展社区志愿服务'],
  ['慈善会', '募集慈善款物，开展扶贫济困、安老助孤等慈善活动'],
  ['企业家协会', '为会员企业提供交流合作、培训咨询和权益维护服务'],
  ['餐饮行业协会', '开展行业自律、食品安全培训与行业交流'],
  ['建筑业协会', '开展行业自律、技术交流与安全生产培训'],
  ['物流协会', '开展行业交流、标准宣传与从业人员培训'],
  ['家庭教育研究会', '开展家庭教育研究、讲座与咨询服务'],
  ['老科技工作者协会', '组织老科技工作者开展科技咨询与科普活动'],
  ['养老服务行业协会', '开展养老服务行业自律、培训与标准推广'],
  ['社会工作者协会', '开展社会工作者培训、交流与专业服务推广'],
];

const PNE_KINDS: readonly { names: readonly string[]; suffix: string; count: number; scope: string }[] = [
  {
    names: ['阳光', '蓝天', '小太阳', '金太阳', '童之梦', '启航', '智慧树', '贝贝', '博苑', '七色花', '育才', '新苗', '春蕾', '小精灵', '小天使', '金色摇篮', '童心', '快乐宝贝', '星星', '彩虹', '小博士', '未来星', '明珠', '雅苑', '红黄蓝', '格林', '爱心', '宝宝乐', '书香', '百灵鸟', '苗苗', '童乐', '康乐', '睿思', '嘉禾', '稻香', '翠园', '檀江', '雨溪', '学府', '双语', '蓓蕾', '佳音', '小白鸽', '红苹果', '向日葵', '小树苗', '丫丫', '天天', '春晖', '金苹果', '乐乐'],
    suffix: '幼儿园',
    count: 52,
    scope: '学前教育：3至6周岁幼儿保育与教育',
  },
  {
    names: ['英才', '文博', '博雅', '启智', '求实', '致远', '卓越', '育英', '明德', '思源', '学海', '优学', '墨香', '艺林', '新星', '翰林', '乐学', '智远', '腾飞', '正阳', '弘文', '知行', '博文', '精英', '天韵'],
    suffix: '培训学校',
    count: 25,
    scope: '非学历文化艺术培训、职业技能培训',
  },
  { names: ['福寿', '康乐', '夕阳红', '颐养', '松鹤', '安康', '福星', '百寿', '永康', '怡心'], suffix: '养老院', count: 10, scope: '为老年人提供生活照料、康复护理、精神慰藉服务' },
  { names: ['阳光', '同心', '善行', '益心', '暖心', '携手'], suffix: '社会工作服务中心', count: 6, scope: '开展社会救助、儿童关爱、社区治理等专业社会工作服务' },
  { names: ['启明', '希望', '馨语', '康宁'], suffix: '康复中心', count: 4, scope: '为残疾儿童及残疾人提供康复训练与康复指导' },
  { names: ['和谐', '邻里', '幸福', '睦邻', '乐居'], suffix: '社区服务中心', count: 5, scope: '开展社区居家养老、便民服务与文化活动' },
  { names: ['龙舟', '健身', '羽毛球', '游泳', '武术', '围棋'], suffix: '体育俱乐部', count: 6, scope: '开展体育健身培训、比赛与交流活动' },
];

export interface PlannedOrganisation {
  type: Exclude<OrganisationType, 'foundation'>;
  name: string;
  creditCode: string;
  divisionCode: string;
  address: string;
  legalRepresentative: string;
  businessScope: string;
  registeredOn: string;
  inspections: { year: number; result: InspectionResult; inspectedOn: string }[];
  change?: { effectiveOn: string; legalRepresentative?: string; address?: string };
  grading?: { score: number; gradedOn: string };
}

/** A 9-character organisation code (GB 11714): eight characters and their check character. */
function organisationCode(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((n, c, i) => n + parseInt(c, 36) * (weights[i] ?? 0), 0);
  const check = 11 - (sum % 11);
  return body + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/** A 统一社会信用代码 of a social organisation registered by the district. */
export function demoCreditCode(type: Exclude<OrganisationType, 'foundation'>, serial: number): string {
  const first17 = `5${type === 'social-group' ? '1' : '2'}430503${organisationCode(`MJ${String(serial).padStart(6, '0')}`)}`;
  if ([...first17].some((c) => !CREDIT_CODE_CHARSET.includes(c))) throw new Error(`not a credit-code character in ${first17}`);
  return first17 + creditCodeCheckChar(first17);
}

function streetAddress(rng: Rng, township: string): string {
  const roads = ['宝庆路', '邵州路', '红旗路', '城南路', '雨溪路', '敏州路', '翠园路', '学院路', '百春园路', '双拥路', '檀江路', '建设南路'];
  return `邵阳市大祥区${township}${pick(rng, roads)}${intBetween(rng, 1, 399)}号`;
}

export function planOrganisations(seed = 2023_1231): PlannedOrganisation[] {
  const rng = seededRng(seed);
  const people = new PeopleFactory(rng);
  const named: { type: PlannedOrganisation['type']; name: string; scope: string }[] = [
    ...SOCIAL_GROUPS.map(([name, scope]) => ({ type: 'social-group' as const, name: `邵阳市大祥区${name}`, scope })),
    ...PNE_KINDS.flatMap((k) => shuffled(rng, k.names).slice(0, k.count).map((n) => ({ type: 'private-non-enterprise' as const, name: `邵阳市大祥区${n}${k.suffix}`, scope: k.scope }))),
  ];
  const counts = { 'social-group': named.filter((n) => n.type === 'social-group').length, 'private-non-enterprise': named.filter((n) => n.type === 'private-non-enterprise').length };
  if (counts['social-group'] !== SEED_2023.organisations.socialGroups || counts['private-non-enterprise'] !== SEED_2023.organisations.privateNonEnterprise) {
    throw new Error(`the organisation names give ${counts['social-group']} + ${counts['private-non-enterprise']}, the report ${SEED_2023.organisations.socialGroups} + ${SEED_2023.organisations.privateNonEnterprise}`);
  }
  // A few registered in 2023, most over the earlier years (more of them in recent years).
  const registeredOnFor = (): string => {
    const year = rng() < 0.06 ? YEAR : 2010 + Math.floor(Math.sqrt(rng()) * 13);
    return pick(rng, workingDays(`${year}-01-04`, year === YEAR ? `${YEAR}-11-30` : `${year}-12-30`));
  };
  const inspectionDays = (year: number): readonly string[] => workingDays(`${year + 1}-03-01`, `${year + 1}-05-31`);
  return named.map((n, i): PlannedOrganisation => {
    const township = pick(rng, TOWNSHIPS);
    const registeredOn = registeredOnFor();
    const inspections: PlannedOrganisation['inspections'] = [];
    for (let year = Number(registeredOn.slice(0, 4)); year < YEAR; year++) {
      if (isInspectionExempt(registeredOn, year)) continue;
      const r = rng();
      inspections.push({ year, result: r < 0.9 ? 'pass' : r < 0.98 ? 'basic-pass' : 'fail', inspectedOn: pick(rng, inspectionDays(year)) });
    }
    const org: PlannedOrganisation = {
      type: n.type,
      name: n.name,
      creditCode: demoCreditCode(n.type, 100_000 + (i + 1) * 37),
      divisionCode: township.code,
      address: streetAddress(rng, township.name),
      legalRepresentative: people.randomName(rng() < 0.6 ? 'male' : 'female'),
      businessScope: n.scope,
      registeredOn,
      inspections,
    };
    if (rng() < 0.07 && registeredOn < `${YEAR}-01-01`) {
      const effectiveOn = pick(rng, workingDays(`${YEAR}-01-09`, `${YEAR}-11-30`));
      let successor = people.randomName(rng() < 0.5 ? 'male' : 'female');
      while (successor === org.legalRepresentative) successor = people.randomName('female');
      // 换届: a new legal representative; or a move to new premises.
      org.change = rng() < 0.7 ? { effectiveOn, legalRepresentative: successor } : { effectiveOn, address: `${streetAddress(rng, township.name)}（新址）` };
    }
    return org;
  });
}

/** Eight organisations with a clean 2022 inspection are graded in the autumn of 2023. */
function withGradings(rng: Rng, orgs: PlannedOrganisation[]): PlannedOrganisation[] {
  const eligible = orgs.filter((o) => o.registeredOn < '2020-01-01' && o.inspections.find((i) => i.year === YEAR - 1)?.result === 'pass');
  const scores = [935, 860, 842, 815, 768, 742, 716, 655];
  shuffled(rng, eligible)
    .slice(0, scores.length)
    .forEach((o, i) => {
      o.grading = { score: scores[i] ?? 700, gradedOn: pick(rng, workingDays(`${YEAR}-09-04`, `${YEAR}-11-30`)) };
    });
  return orgs;
}

export interface OrganisationsDemoResult {
  registered: number;
  inspections: number;
  changes: number;
  gradings: number;
}

export async function generateOrganisationsDemo(dataSource: DataSource, outbox: Outbox, logger: Logger, plan = withGradings(seededRng(2023_0601), planOrganisations()), concurrency = 4): Promise<OrganisationsDemoResult> {
  const service = new OrganisationsService(outbox, dataSource);
  const ids = new Map<string, string>();
  await dayByDay(plan, (o) => o.registeredOn, concurrency, async (o) => {
    const input = registerOrganisationSchema.parse({
      type: o.type,
      name: o.name,
      creditCode: o.creditCode,
      divisionCode: o.divisionCode,
      address: o.address,
      legalRepresentative: o.legalRepresentative,
      businessScope: o.businessScope,
      registeredOn: o.registeredOn,
    });
    ids.set(o.creditCode, (await service.register(input, REGISTRAR, o.registeredOn)).id);
  });
  const inspections = plan.flatMap((o) => o.inspections.map((i) => ({ orgId: ids.get(o.creditCode) ?? '', ...i })));
  await dayByDay(inspections, (i) => i.inspectedOn, concurrency, async (i) => {
    await service.inspect({ orgId: i.orgId, year: i.year, result: i.result, inspectedOn: i.inspectedOn }, REGISTRAR, i.inspectedOn);
  });
  const changes = plan.filter((o) => o.change !== undefined);
  await inPool(changes, concurrency, async (o) => {
    const change = o.change;
    if (!change) return;
    await service.change({ orgId: ids.get(o.creditCode) ?? '', ...change }, REGISTRAR, change.effectiveOn);
  });
  const graded = plan.filter((o) => o.grading !== undefined);
  await inPool(graded, concurrency, async (o) => {
    const grading = o.grading;
    if (!grading) return;
    await service.grade({ orgId: ids.get(o.creditCode) ?? '', score: grading.score, gradedOn: grading.gradedOn }, REGISTRAR, grading.gradedOn);
  });
  logger.info({ organisations: plan.length, inspections: inspections.length, changes: changes.length, gradings: graded.length }, 'demo: social organisations recorded');
  return { registered: plan.length, inspections: inspections.length, changes: changes.length, gradings: graded.length };
}
