/**
 * The social-affairs figures of the bureau's 2023 report (../shared/seeds/000_79ae005d0c65c696.txt,
 * section (五)), which the demo data set reproduces. Amounts in fen.
 */
export const SEED_2023 = {
  year: 2023,
  marriages: 1753,
  divorces: 722,
  /** 婚姻登记合格率和出证准确率100% */
  certificateAccuracyBp: 10_000,
  organisations: {
    /** "登记在册社会组织133家" — the report's parts (27 + 108) add to 135: kept as printed, flagged by reporting. */
    registeredTotal: 133,
    socialGroups: 27,
    privateNonEnterprise: 108,
  },
  allowances: {
    orphanFen: 36_880_000,
    deFactoUnsupportedFen: 78_470_000,
    disabilityLivingFen: 181_950_000,
    disabilityCareFen: 283_460_000,
  },
  /** "各类志愿服务活动20余场" */
  socialWorkActivitiesAtLeast: 20,
} as const;
