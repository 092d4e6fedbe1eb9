/**
 * The social-assistance figures of the bureau's 2023 report (../shared/seeds/000_79ae005d0c65c696.txt),
 * the targets the demo data set reproduces. Amounts in fen. "余" figures ("303万余元", "4700余户")
 * are lower bounds: the demo lands above them, below the next unit the report would round to.
 */
export const SEED_2023 = {
  year: 2023,
  dibao: {
    newHouseholds: 432,
    newPersons: 1099,
    stoppedHouseholds: 924,
    stoppedPersons: 1470,
    yearEnd: {
      urban: { households: 2898, persons: 4893 },
      rural: { households: 1541, persons: 2848 },
    },
    paidFen: { urban: 2_339_729_300, rural: 836_759_600 },
    /** 月人均救助水平: 395.96元 and 266.74元. */
    perCapitaLevelFen: { urban: 39_596, rural: 26_674 },
  },
  tekun: { persons: 866, centralized: 147, dispersed: 719, paidFen: 833_879_500 },
  /** 累计保障临时困难群众4331人次，发放临时救助资金407.41万元 (4,074,100元). */
  temporary: { personTimes: 4331, amountFen: 407_410_000 },
  charity: {
    /** 统筹整合…资金303万余元 */
    fundsAtLeastFen: 303_000_000,
    /** 走访慰问4700余户 */
    householdsVisitedAtLeast: 4700,
    /** 公益慈善活动20余场次 */
    activitiesAtLeast: 20,
    /** 发放…爱心物质价值1.5万余元 */
    goodsDistributedAtLeastFen: 1_500_000,
    /** 服务群众400余人次 */
    personsServedAtLeast: 400,
  },
} as const;

export type UrbanRural = 'urban' | 'rural';
