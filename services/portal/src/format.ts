/** Money is integer fen everywhere in the API; people read yuan. */

/** 12345 → "123.45"; negative amounts keep their sign; thousands are grouped (1,234.50). */
export function fenToYuan(fen: number): string {
  if (!Number.isInteger(fen)) throw new RangeError(`fen must be an integer, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}${yuan.toLocaleString('en-US')}.${cents}`;
}

/** Fen as 万元 with the given decimals (the unit of the bureau's reports): 31764889 00 → "3176.4889". */
export function fenToWanYuan(fen: number, decimals = 4): string {
  return (fen / 1_000_000).toFixed(decimals);
}

/**
 * What a person typed as yuan ("1500", "1,500.5", "1500.50") as fen, or null when it is not an
 * amount with at most two decimals.
 */
export function yuanToFen(input: string): number | null {
  const cleaned = input.trim().replace(/[,，\s]/g, '');
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const yuan = Number(match[1]);
  const cents = Number((match[2] ?? '').padEnd(2, '0'));
  return yuan * 100 + cents;
}

/** A rate (0.9876) as a percentage with two decimals ("98.76%"); a dash when unknown. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`;
}

/** A number as the API gives it, without float noise (0.1 + 0.2 → "0.3"); a dash when unknown. */
export function formatNumber(value: number | null, maxDecimals = 4): string {
  if (value === null) return '—';
  return Number(value.toFixed(maxDecimals)).toString();
}
