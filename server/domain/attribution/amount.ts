import { parseDecimal, scaledMagnitude } from './decimal.ts';

const MAX_CENTS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Section 7, money: a deal's amount in cents = round(amount × 100), computed on the decimal text
 * exactly; a half cent rounds up (away from zero: only positive amounts are credited).
 *
 * Undefined ("no valid amount", so no credit rows) when the amount is empty, not a plain decimal
 * (`1,000`, `€5`, `NaN`), negative, rounds to 0 cents (section 2 asks for a number > 0; there is
 * nothing to split), or exceeds Number.MAX_SAFE_INTEGER cents (credits are exact integers).
 */
export function amountInCents(amount: string | number | null | undefined): number | undefined {
  if (amount === null || amount === undefined) return undefined;
  if (typeof amount === 'number' && !Number.isFinite(amount)) return undefined;
  const decimal = parseDecimal(String(amount));
  if (decimal === undefined || (decimal.negative && decimal.coefficient !== 0n)) return undefined;
  const cents = scaledMagnitude(decimal, 2, MAX_CENTS);
  return cents === undefined || cents === 0n ? undefined : Number(cents);
}
