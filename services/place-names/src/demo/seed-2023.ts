/**
 * The place-name figures of the bureau's 2023 report (paragraph （四）), which the demo data set
 * reproduces: 国家地名数据库质量提升行动 reviewed 行政区划、自然地理实体、街路巷、群众自治组织及居民点
 * 五类共3969条 and 3000余条 of other categories, each reviewed, corrected or supplemented.
 */
export const SEED_2023 = {
  year: 2023,
  campaignTitle: '国家地名数据库质量提升行动（2023）',
  /** The five database classes together. */
  fiveClasses: 3969,
  /** "3000余条": at least 3000 (the demo makes 3012). */
  otherCategoriesAtLeast: 3000,
  /**
   * 平稳完成东方威尼斯小区更名为东方华庭，大顺米兰豪苑小区更名为文庭雅苑. The demo records the old
   * names; the renamings themselves belong to the naming workflow (see RENAMING_HOOK in demo-plan.ts).
   */
  renamings: [
    { oldName: '东方威尼斯小区', newName: '东方华庭' },
    { oldName: '大顺米兰豪苑', newName: '文庭雅苑' },
  ],
} as const;
