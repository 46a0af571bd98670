// Numbers as they appear in Chinese messages: 200,000元, 40%, 7.5.

/** A number with at most `digits` decimals, trailing zeros dropped: 7.50 -> 7.5, 8.00 -> 8. */
export function formatNumber(value: number, digits = 2): string {
  const fixed = value.toFixed(digits);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Yuan with thousands separators and at most two decimals (fen): 200000 -> 200,000. */
export function formatYuan(yuan: number): string {
  const [whole = '0', fraction] = formatNumber(yuan, 2).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}元`;
}

/**
 * A ratio as a percentage with at most two decimals: 0.4 -> 40%, 1/3 -> 33.33%. `floor` for a value that falls short
 * of a minimum, so 39.9995% reads 39.99% and never rounds up to the very limit it failed.
 */
export function formatPercent(ratio: number, mode: 'round' | 'floor' = 'round'): string {
  const hundredths = ratio * 10_000;
  const value = mode === 'floor' ? Math.floor(hundredths + 1e-9) / 100 : ratio * 100;
  return `${formatNumber(value, 2)}%`;
}
