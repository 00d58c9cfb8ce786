import type { Queryable } from '../db/pool.ts';
import { openDuplicatesInvolving } from '../db/repositories/findings.ts';
import { recordKey, type DuplicateMatch } from '../domain/hygiene/index.ts';
import type { CrmObject, Definitions } from '../domain/policy/index.ts';
import { findPortalDuplicates } from './portal-duplicates.ts';

type Ref = { objectType: CrmObject; objectId: number };

/**
 * What a partial evaluation needs to get duplicates right. Groups are found set-wise over the whole
 * portal (only the compared property of each record is read), then the records whose group may have
 * changed with `refs` are added: every member of a group one of them is in now, and every record
 * whose open duplicate finding involves one of them (a group one of them has left).
 */
export async function duplicatesAround(
  db: Queryable,
  portalId: number,
  definitions: Definitions,
  refs: readonly Ref[],
): Promise<{ duplicates: Map<string, DuplicateMatch[]>; related: Ref[] }> {
  const types = new Set(refs.map((r) => r.objectType));
  const rules = definitions.duplicates.filter((rule) => types.has(rule.object));
  if (rules.length === 0) return { duplicates: new Map(), related: [] };
  const duplicates = await findPortalDuplicates(db, portalId, rules);

  const groups = new Map<string, Set<string>>();
  for (const [member, matches] of duplicates) {
    const objectType = member.slice(0, member.indexOf(':'));
    for (const match of matches) {
      const group = `${match.rule}\u0000${match.key}`;
      const keys = groups.get(group) ?? new Set<string>();
      keys.add(member).add(`${objectType}:${match.survivorId}`);
      groups.set(group, keys);
    }
  }
  const changed = new Set(refs.map((r) => recordKey({ objectType: r.objectType, id: String(r.objectId) })));
  const related = new Map<string, Ref>();
  const add = (objectType: CrmObject, objectId: number) => {
    const key = recordKey({ objectType, id: String(objectId) });
    if (!changed.has(key)) related.set(key, { objectType, objectId });
  };
  for (const keys of groups.values()) {
    if (![...keys].some((key) => changed.has(key))) continue;
    for (const key of keys) {
      const at = key.indexOf(':');
      add(key.slice(0, at) as CrmObject, Number(key.slice(at + 1)));
    }
  }
  for (const objectType of types) {
    if (!rules.some((rule) => rule.object === objectType)) continue;
    const ids = refs.filter((r) => r.objectType === objectType).map((r) => r.objectId);
    for (const id of await openDuplicatesInvolving(db, portalId, objectType, ids)) add(objectType, id);
  }
  return { duplicates, related: [...related.values()] };
}
