import type { Rng } from './random.ts';
import type { Picklist } from './vocabulary.ts';

/**
 * How required fields go wrong in a real portal: never filled in (absent), cleared (''), or "filled"
 * with spaces; picklists also get values from before the picklist was governed.
 */

/** A missing value: usually absent, sometimes present but blank, which the policy treats the same. */
const MISSING_WEIGHTS: readonly (readonly [string | undefined, number])[] = [
  [undefined, 70],
  ['', 20],
  ['  ', 10],
];

export const missingValue = (rng: Rng): string | undefined => rng.weighted(MISSING_WEIGHTS);

/** A free-text field that is required: the value, or missing with probability pMissing. */
export function requiredText(rng: Rng, value: string, pMissing: number): string | undefined {
  return rng.chance(pMissing) ? missingValue(rng) : value;
}

/** A picklist field: a valid option, missing (pMissing) or a stray value outside the options (pInvalid). */
export function picklistValue(rng: Rng, picklist: Picklist, pMissing: number, pInvalid: number): string | undefined {
  const r = rng.next();
  if (r < pMissing) return missingValue(rng);
  if (r < pMissing + pInvalid) return rng.pick(picklist.strays);
  return rng.pick(picklist.options);
}

/** An email as it arrives from a second form fill or an import: other case, stray spaces. */
export function emailVariant(rng: Rng, email: string): string {
  return rng.weighted<string>([
    [email.toUpperCase(), 30],
    [`  ${email.toUpperCase()} `, 30],
    [` ${email}`, 15],
    [email.charAt(0).toUpperCase() + email.slice(1), 15],
    [email, 10],
  ]);
}

/**
 * A company domain as a second record holds it. A `www.` prefix, other case or spaces still name the same
 * company (the policy lowers, trims and removes one leading `www.`); a doubled `www.www.` does not, and
 * is kept as a near miss a duplicate check must not flag.
 */
export function domainVariant(rng: Rng, domain: string): string {
  return rng.weighted<string>([
    [`www.${domain}`, 35],
    [domain.toUpperCase(), 25],
    [`www.${domain.toUpperCase()}`, 20],
    [` ${domain} `, 10],
    [`www.www.${domain}`, 10],
  ]);
}

/** An amount in dollars as HubSpot stores it: a decimal string, sometimes with cents. */
export function amountValue(rng: Rng): string {
  const dollars = rng.int(50, 1500) * 100;
  return rng.chance(0.25) ? `${dollars + rng.int(1, 99)}.${rng.pick(['5', '75', '99', '25'])}` : String(dollars);
}
