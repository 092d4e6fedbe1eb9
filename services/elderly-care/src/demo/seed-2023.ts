/**
 * The elderly-care figures of the bureau's 2023 report, which the demo data set reproduces.
 * Amounts in fen.
 */
export const SEED_2023 = {
  year: 2023,
  institutions: {
    /** 养老机构13家: 公办敬老院5家, 民办养老机构8家. */
    total: 13,
    public: 5,
    private: 8,
  },
  homeAdaptation: {
    /** 完成居家适老化改造66户 (目标任务66户). */
    completed: 66,
    target: 66,
    /** Each household's subsidy, 3000–4000元. */
    minSubsidyFen: 300_000,
    maxSubsidyFen: 400_000,
  },
  ageAllowances: {
    /** 发放高龄生活补贴124.92万元. */
    highAgeFen: 124_920_000,
    /** 发放长寿保健金9万元. */
    longevityFen: 9_000_000,
  },
} as const;
