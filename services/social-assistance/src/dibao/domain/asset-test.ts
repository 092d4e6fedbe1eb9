/**
 * The 低保 asset test (财产状况), as pure rules over the household's latest asset records: deposits
 * and securities per person within a number of months of the standard; no vehicle above the
 * exempt value (a low-value motorcycle or an invalid carriage passes); no non-residential property;
 * business capital within a cap. Each limit is a column of `rule_dibao_asset`.
 */
export interface DibaoAssetRule {
  /** Deposits and securities per person, at most this many months of the monthly standard. */
  financialLimitMonths: number;
  /** A vehicle worth more than this fails the test (the listed exceptions are worth less). */
  vehicleExemptValueFen: number;
  nonResidentialPropertyAllowed: boolean;
  businessCapitalCapFen: number;
}

export interface HouseholdAssets {
  /** Deposits and securities of all members. */
  financialFen: number;
  /** The most valuable vehicle of any member (0 when none). */
  largestVehicleFen: number;
  nonResidentialPropertyFen: number;
  businessCapitalFen: number;
}

export interface AssetTestResult {
  passed: boolean;
  financialPerCapitaFen: number;
  financialLimitPerCapitaFen: number;
  /** Each failed rule in words, for the approver and the written reason of a rejection. */
  failures: string[];
}

export function assessDibaoAssets(assets: HouseholdAssets, householdSize: number, monthlyStandardFen: number, rule: DibaoAssetRule): AssetTestResult {
  if (!Number.isSafeInteger(householdSize) || householdSize < 1) throw new RangeError(`householdSize must be a positive integer, got ${householdSize}`);
  const financialPerCapitaFen = Math.floor(assets.financialFen / householdSize);
  const financialLimitPerCapitaFen = monthlyStandardFen * rule.financialLimitMonths;
  const failures: string[] = [];
  if (financialPerCapitaFen > financialLimitPerCapitaFen) {
    failures.push(`deposits and securities of ${financialPerCapitaFen} fen per person exceed ${rule.financialLimitMonths} months of the standard (${financialLimitPerCapitaFen} fen)`);
  }
  if (assets.largestVehicleFen > rule.vehicleExemptValueFen) {
    failures.push(`a vehicle worth ${assets.largestVehicleFen} fen (only vehicles up to ${rule.vehicleExemptValueFen} fen are exempt)`);
  }
  if (assets.nonResidentialPropertyFen > 0 && !rule.nonResidentialPropertyAllowed) failures.push('non-residential property');
  if (assets.businessCapitalFen > rule.businessCapitalCapFen) {
    failures.push(`business capital of ${assets.businessCapitalFen} fen exceeds ${rule.businessCapitalCapFen} fen`);
  }
  return { passed: failures.length === 0, financialPerCapitaFen, financialLimitPerCapitaFen, failures };
}
