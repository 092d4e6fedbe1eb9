import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The annual report's text as data: one template per year and section, the figures as
 * placeholders (grammar in annual-report/placeholders.ts). Seeded with the bureau's 2023 report,
 * word for word (its slips included, so its figures can be compared one by one); a later year
 * without its own templates uses the latest earlier year's.
 */
export const SEED_TEMPLATES_2023: readonly (readonly [section: string, text: string])[] = [
  ['title', '{{year}}年度邵阳市大祥区民政局部门整体支出绩效评价报告'],
  ['introduction', '{{year}}年以来，我局在区委、区政府的正确领导和市民政局大力指导下，全区民政干部职工紧紧围绕上级的工作部署，坚持“以人为本、为民解困、为民服务”的民政核心理念，积极创新工作手段，转变工作职能，拓宽工作思路，丰富工作内涵，发扬勇于吃苦、知难而进的精神，认真落实各项工作任务，为大祥经济发展、社会稳定做出了应有的贡献。'],
  ['budget', '大祥区民政局{{year}}年度部门整体支出实行绩效目标管理，纳入{{year}}年部门整体支出绩效目标的金额为{{stated:budget.total|万元2}}万元，其中，基本支出{{stated:budget.basic|万元2}}万元，项目支出{{stated:budget.project|万元2}}万元。部门整体支出绩效管理开展情况、绩效目标具体评价如下：'],
  ['work-1', '（一）严格程序，完善管理，低保工作日趋规范。一是巩固提高城乡低保的分类施保和规范化管理，继续完善低收入家庭经济状况核对机制，克服疫情影响按防控要求，组织各乡镇街道在确保健康安全的前提下，限人数错峰开展年度审核，对老弱病残等不方便出门的困难群众提供上门年审服务，并认真进行了城乡低保动态管理和清理整顿工作。大祥核对做到静默不沉默，工作不停歇，圆满完成今年新申请和复核任务。按政策新增城乡低保对象{{dibao.new.households}}户，{{dibao.new.persons}}人，停发因经济财产状况超过标准或死亡的各类城乡对象{{dibao.stopped.households}}户{{dibao.stopped.persons}}人。截止12月底，我区城乡低保对象分别是{{dibao.households|urban}}户{{dibao.persons|urban}}人、{{dibao.households|rural}}户{{dibao.persons|rural}}人。全年累计发放城乡低保{{dibao.paid|万元4}}万元，其中城市低保发放{{dibao.paid|urban|万元4}}万元，月人均救助水平{{perCapita:dibao.paid/dibao.person-months|urban|元2}}元；农村低保发放{{dibao.paid|rural|万元4}}万元，月人均救助水平{{perCapita:dibao.paid/dibao.person-months|rural|元2}}元。，四是着力提升慈善服务社会的能力和水平，关心帮扶困难群众生产生活，共统筹整合财政等各项资金 {{charity.funds|万余}}元，走访慰问{{charity.households-visited|余100}}户困难群众。'],
  ['work-2', '（二）加大投入，夯实基础，特困人员供养水平明显增强。一是进一步完善特困供养对象申报、审核、审批制度，重点完善责任追究制度和定期督查制度。累计打卡发放特困供养{{tekun.paid|万元4}}万元，并为所有特困供养对象购买了照料护理保险。保障特困供养对象{{tekun.persons}}人（集中供养{{tekun.persons.centralized}}人，分散供养{{tekun.persons.dispersed}}人）二是为全区所有特困供养对象在中国平安财产保险股份有限公司邵阳分公司购买了照料护理保险。三是死亡安葬补助到位。资助基本丧葬服务费，妥善解决特困供养人员安葬问题。'],
  ['work-3', '（三）统筹各方，提升水平，临时救助和慈善工作得到强化。一是对因病、因残、因灾等各种特殊原因造成基本生活出现暂时困难的家庭，给予非定期、非定量的临时救助，着力缓解城乡困难群众突发性、临时性生活困难，累计保障临时困难群众{{temporary.person-times}}人次，发放临时救助资金{{temporary.paid|万元2}}万元。二是加大政策引导、政府购买服务力度，吸引社会资金和社会力量参与，着力提升慈善服务社会的能力和水平。今年以来共开展“携手做慈善，传播真善美”、第七个“中华慈善日”主题活动等公益慈善活动{{charity.activities|余10}}场次，发放上级下拨爱心物质价值{{charity.goods-value|万余1}}元，服务群众{{charity.persons-served|余100}}人次。'],
  ['work-4', '（四）攻难克坚，积极探索，加快基层政权和区划地名建设步伐。一是完成村（居）下属公共卫生委员会选举，依法依规产生村（居）公共卫生委员会成员。二是推进清理整治不规范地名整治工作，平稳完成东方威尼斯小区更名为东方华庭，大顺米兰豪苑小区更名为文庭雅苑。三是开展国家地名数据库质量提升行动，对国家地名信息数据库行政区划、自然地理实体、街路巷、群众自治组织及居民点五类共{{place-names.audit.five-classes}}条地名及以上五类之外的{{place-names.audit.other|余1000}}条地名，逐一进行审核、修改、补录信息的审核入库。'],
  ['work-5', '（五）依法管理、扎实工作，社会事务管理进一步规范。一是着力提高婚姻登记服务和创新水平。今年累计办理结婚登记结婚{{marriage.registrations}}对，离婚{{divorce.registrations}}对，，做到了婚姻登记合格率和出证准确率{{ratio:certificates.accurate/certificates.issued|%0}}%的好成绩。同时，继续推进“镜圆”婚姻公益辅导项目品牌，利用每周三由心理咨询师、婚姻家庭咨询师、律师和社工师等组成的志愿者团队在婚姻登记中心免费提供婚前咨询、离婚调解、心理疏导等服务。二是依法抓好社会组织管理工作。坚持严把登记入口关，扎实开展社会组织年检和四类社会组织直接登记和评估，目前全区目前共有登记在册社会组织{{organisations}}家（社会团体{{organisations.social-groups}}家，民办非企业单位{{organisations.private-non-enterprise}}家）。三是累计发放孤儿生活补贴{{allowance.orphan.paid|万元2}}万元，事实无人抚养儿童生活补贴{{allowance.de-facto-unsupported.paid|万元2}}万元。四是累计发放困难残疾人生活补贴{{allowance.disability-living.paid|万元2}}万元，重度残疾人护理补贴{{allowance.disability-care.paid|万元2}}万元。四是充分发挥区社工站作用，累计开展关怀慰问空巢及孤寡老人、留守及困境儿童、特困家庭等各类志愿服务活动{{social-work.activities|余10}}场。'],
  ['work-6', '（六）强化管理，落实政策，养老服务日益完善。一是鼓励推动养老服务机构发展。全力发挥公办敬老院养老支撑作用，大力支持民办养老服务机构发展，引导社会力量兴办养老机构。目前，全区养老服务机构共有{{institutions}}家，其中{{institutions.public}}家公办敬老院、{{institutions.private}}家民办养老机构。二是开展困难老年人居家适老化改造工作，将对全区符合条件的特殊困难老年人按照每户不低于3000元且不超过4000元的标准开展适老化改造。目前{{home-adaptation.completed}}户适老化改造年度任务已全面完成。三是完成养老服务“三合一”平台建设（安联网、监控平台、信息平台）的硬件施工与安装，并与市养老服务平台和区网格化管理平台进行对接。四是老年优待政策得到落实。每年为90-99岁老人发放高龄生活补贴金，为百岁老人发放长寿保健金。累计发放高龄生活补贴金{{age-allowance.high-age.paid|万元2}}万元，长寿保健金{{age-allowance.longevity.paid|万元}}万元。'],
  ['work-7', '（七）守土尽责，抓好疫情防控，确保阵地安全稳定。一是守卫养老机构一方净土。按照上级疫情防控要求，继续强化养老机构常态化疫情防控工作，落实防控物资保障，采取定期不定期、四不两直的方式加强督查指导，所有养老机构均实行封闭管理（疫情形式严峻期间），落实场地消毒、体温检测、场所及行程码查验、加强针接种等常态化疫情防控和食品留样、消防安全、环境卫生等日常管理措施。目前，辖区养老机构一切正常，未发生感染新冠肺炎情况。二是力保雨溪公墓清明祭扫安全。在清明节祭扫高峰期，我区统一组织调度10余个区直部门和2个街道百余人,分8个工作小组，设置数个卡点，在大祥区雨溪公墓严格落实交通管制、体温检测及查验场所码等措施，实行按日分时段限流预约祭扫保障清明祭祀安全，效果十分明显，没有出现人员过度集中违规祭扫现象和发生任何安全意外事件，受到前来巡视的市、区领导和祭扫群众的一致称赞和好评。'],
  ['work-8', '（八）凝心聚力、常抓不懈，加强民政部门的自身建设。一是健全“一把手负总责，分管领导各负其责，班子成员齐抓共管、纪委监委派驻组协调督查”的领导体制和工作机制，结合创建“清廉单位”，将党风廉政建设主体责任纳入局年度目标管理绩效考核，考核结果作为局属各部门和干部职工评先选优的重要依据。二是将意识形态工作摆上重要议事日程，重点对党群干群领域意识形态、作风建设松懈滑坡等问题开展排查整治。三是全力推进巡视巡察整治，对中央、省委巡视邵阳反馈、市委交叉巡察主要问题和重点问题进行全面自查自纠、对发现的问题集中进行整治，并在既定的时间内完成整改。四是认真落实服务承诺制、首问责任制、限时办结制、岗位责任制、考勤制度等，坚持用制度管人，用制度约束人，树立民政干部职工的良好形象。'],
  ['problems', '客观地讲，在我区民政事业不断前进的道路上，仍存在一些挑战和困难，主要表现在：一是我区人口基数大，困难群众多、因灾因病返贫风险还存在，同时受疫情影响，困难群众生活救助需求增大，社会救助保障压力大；二是工作中创新意识比较薄弱，对如何在新形势下开展民政工作，民政工作高起点规划、高标准建设、高效能管理的能力还有待进一步提高；三是民政部门人员及编制严重不足。目前，我区民政工作承担着社会救助、社会事务、养老服务、基层政权、区划地名等十多个大项数十小项的具体职责，与之不相适应的是工作队伍不齐，我局机关行政编和全额拨款事业编偏少，局属参公事业单位低收入家庭认定中心空编6名，一人身兼数职、借调借用的现象普遍存在，任务繁重，精力分散，已较大程度上影响民政工作有效推进。'],
];

export class ReportTemplates1764000052000 implements MigrationInterface {
  name = 'ReportTemplates1764000052000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_template (
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        section text NOT NULL CHECK (section IN ('title', 'introduction', 'budget', 'work-1', 'work-2', 'work-3', 'work-4', 'work-5', 'work-6', 'work-7', 'work-8', 'problems')),
        text text NOT NULL,
        updated_by text,
        updated_at timestamptz,
        PRIMARY KEY (year, section)
      )`);
    for (const [section, text] of SEED_TEMPLATES_2023) {
      await q.query(`INSERT INTO report_template (year, section, text) VALUES (2023, $1, $2)`, [section, text]);
    }
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_template`);
  }
}
