// Dollars in the UI, whole cents in the API (fees, totals, paid amounts).

/** 15000 → "$150.00". */
export function dollars(cents: number): string {
  return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
}

/** 15000 → "150.00": what a dollar field shows for a stored amount. */
export const dollarsField = (cents: number): string => (cents / 100).toFixed(2);

/**
 * "150", "$150.50", "1,200.5" → whole cents; null when it is not an amount in dollars and cents.
 * Parsed from the digits (never through a float) so 19.99 is 1999 cents exactly.
 */
export function toCents(text: string): number | null {
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m?.[1]) return null;
  const whole = Number(m[1].replace(/,/g, ''));
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  const total = whole * 100 + cents;
  return Number.isSafeInteger(total) ? total : null;
}
