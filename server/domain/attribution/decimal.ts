/**
 * A decimal number read exactly from its text: value = (negative ? −1 : 1) × coefficient × 10^exponent.
 * Money and policy shares are decimals people typed; reading them through binary floating point would
 * turn 1.005 into 1.00499999… and lose the half cent the policy rounds.
 */
export type Decimal = { negative: boolean; coefficient: bigint; exponent: number };

// Plain decimals with an optional exponent (`1e+21` is how JavaScript prints large numbers). No
// thousands separators, no `Infinity`/`NaN`: HubSpot stores numbers in this plain form.
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,6}))?$/i;

export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return undefined;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? '';
  if (whole === '' && fraction === '') return undefined;
  return {
    negative: m[1] === '-',
    coefficient: BigInt(whole + fraction),
    exponent: Number(m[4] ?? 0) - fraction.length,
  };
}

/** round-half-up(|value| × 10^shift) as an integer, or undefined when it exceeds `limit`. */
export function scaledMagnitude(decimal: Decimal, shift: number, limit: bigint): bigint | undefined {
  const { coefficient } = decimal;
  if (coefficient === 0n) return 0n;
  const power = decimal.exponent + shift;
  const digits = coefficient.toString().length;
  if (power >= 0) {
    // A coefficient ≥ 1 times 10^power has at least digits + power digits: refuse before building it.
    if (digits + power > limit.toString().length) return undefined;
    const scaled = coefficient * 10n ** BigInt(power);
    return scaled > limit ? undefined : scaled;
  }
  if (-power > digits + 1) return 0n; // below half of the unit: rounds to 0
  const divisor = 10n ** BigInt(-power);
  const quotient = coefficient / divisor;
  const rounded = (coefficient % divisor) * 2n >= divisor ? quotient + 1n : quotient;
  return rounded > limit ? undefined : rounded;
}
