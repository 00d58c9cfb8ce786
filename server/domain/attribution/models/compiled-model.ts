import type { Attribution, AttributionModel, RoleWeights, TouchRole } from '../../policy/index.ts';
import { parseDecimal, scaledMagnitude } from '../decimal.ts';
import { DAY_MS } from '../time.ts';

/** A positional model's shares as integers in a common unit (22.5% and 10% → 9 and 4), so weights are exact. */
export type RoleUnits = Record<TouchRole, number>;

/** A model ready for the hot path: shares read once per definitions, not once per deal. */
export type CompiledModel =
  | { id: string; kind: 'positional'; units: RoleUnits }
  | { id: string; kind: 'linear' }
  | { id: string; kind: 'time_decay'; halfLifeMs: number };

const ROLES: readonly TouchRole[] = ['first', 'last', 'lead_creation', 'deal_creation', 'others'];
// Shares are read at the precision typed, up to 9 decimal places (beyond that they are rounded half up):
// enough for any share a person types, and it keeps every weight a safe integer (see split-cents.ts).
export const MAX_SHARE_DECIMALS = 9;
const MAX_UNITS = BigInt(Number.MAX_SAFE_INTEGER);

/** The enabled models of the definitions, in their order. */
export function compileModels(attribution: Pick<Attribution, 'models'>): CompiledModel[] {
  return attribution.models.filter((model) => model.enabled).map(compileModel);
}

export function compileModel(model: AttributionModel): CompiledModel {
  if (model.kind === 'linear') return { id: model.id, kind: 'linear' };
  if (model.kind === 'time_decay') return { id: model.id, kind: 'time_decay', halfLifeMs: model.halfLifeDays * DAY_MS };
  return { id: model.id, kind: 'positional', units: roleUnits(model.weights) };
}

/** Percent shares → integers with the same ratios, reduced by their greatest common divisor. */
export function roleUnits(weights: RoleWeights): RoleUnits {
  const decimals = ROLES.map((role) => parseDecimal(String(weights[role] ?? 0)));
  const scale = Math.min(
    MAX_SHARE_DECIMALS,
    Math.max(0, ...decimals.map((decimal) => (decimal === undefined ? 0 : -decimal.exponent))),
  );
  const scaled = decimals.map((decimal) =>
    decimal === undefined ? 0n : (scaledMagnitude(decimal, scale, MAX_UNITS) ?? 0n),
  );
  const divisor = scaled.reduce((g, units) => gcd(g, units), 0n) || 1n;
  const units = scaled.map((value) => Number(value / divisor));
  return Object.fromEntries(ROLES.map((role, i) => [role, units[i]!])) as RoleUnits;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
