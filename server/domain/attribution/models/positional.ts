import { KEY_ROLES, type KeyTouches } from '../key-touches.ts';
import type { RoleUnits } from './compiled-model.ts';

/**
 * Positional models (`first_touch`, `last_touch`, `u_shaped`, `w_shaped`, `full_path`, `j_shaped`,
 * `inverse_j` in version 1; their shares come from the definitions). Writes each of the `n` ordered
 * touches' weight into `out` as an integer numerator; the weights are numerators over their sum.
 *
 * The model's roles are those with a share. Each role gives its share to its touch; a touch holding
 * several roles gets the sum. `others` is split evenly across the touches holding no role of the
 * model; when there are none, evenly over the model's roles. Integers throughout: with R roles and O
 * others, a role counts share × O (or share × R + others), an other counts the others' share.
 */
export function positionalWeights(units: RoleUnits, n: number, roles: KeyTouches, out: Float64Array): void {
  out.fill(0, 0, n);
  let roleCount = 0;
  let holders = 0;
  for (let r = 0; r < KEY_ROLES.length; r++) {
    const role = KEY_ROLES[r]!;
    if (units[role] === 0) continue;
    roleCount++;
    if (!heldByEarlierRole(units, roles, r)) holders++;
  }
  const others = n - holders;
  for (const role of KEY_ROLES) {
    if (units[role] === 0) continue;
    out[roles[role]]! += others > 0 ? units[role] * others : units[role] * roleCount + units.others;
  }
  // Role holders have a positive weight by now (every role counted has a share), others still 0.
  if (others > 0) for (let i = 0; i < n; i++) if (out[i] === 0) out[i] = units.others;
}

/** Whether the touch of role r already holds an earlier role with a share (so is not a new holder). */
function heldByEarlierRole(units: RoleUnits, roles: KeyTouches, r: number): boolean {
  const touch = roles[KEY_ROLES[r]!];
  for (let e = 0; e < r; e++) {
    const earlier = KEY_ROLES[e]!;
    if (units[earlier] !== 0 && roles[earlier] === touch) return true;
  }
  return false;
}
