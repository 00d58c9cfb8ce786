import type pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import type { DefinitionsError } from '../domain/policy/definitions-error.ts';
import { describeChanges } from '../domain/policy/describe-change.ts';
import { diffDefinitions, type DefinitionsChange } from '../domain/policy/diff.ts';
import { parseDefinitions } from '../domain/policy/serialize.ts';
import { changeDefinitions, type DefinitionsUpdateResult } from '../hygiene/change-definitions.ts';
import type { QueueDeps } from '../queue/deps.ts';
import type { DefinitionsDraft, DefinitionsSave } from './contracts.ts';

/**
 * The editor's two steps. `previewDefinitions` checks a draft and shows what it would change against
 * the current version, storing nothing. `saveDefinitions` stores it through `changeDefinitions` (which
 * validates again, versions, diffs and queues the re-evaluation), but only if the current version is
 * still the one the admin saw the diff against.
 */
export type DraftPreview =
  | { ok: true; baseVersion: number; changes: DefinitionsChange[]; summary: string[] }
  | { ok: false; errors: DefinitionsError[] };

export async function previewDefinitions(
  db: Queryable,
  portalId: number,
  draft: DefinitionsDraft,
): Promise<DraftPreview> {
  const parsed = parseDefinitions(draft.text, draft.format);
  if (!parsed.ok) return parsed;
  const current = await currentDefinitions(db, portalId);
  const changes = diffDefinitions(current.definitions, parsed.definitions);
  return { ok: true, baseVersion: current.version, changes, summary: describeChanges(changes) };
}

export async function saveDefinitions(
  deps: { db: pg.Pool; queueDeps: QueueDeps },
  portalId: number,
  save: DefinitionsSave & { author: string },
): Promise<DefinitionsUpdateResult | { ok: false; conflict: { currentVersion: number } }> {
  const current = await currentDefinitions(deps.db, portalId);
  if (current.version !== save.baseVersion) return { ok: false, conflict: { currentVersion: current.version } };
  return changeDefinitions(deps, portalId, {
    text: save.text,
    format: save.format,
    author: save.author,
    reason: save.reason,
  });
}
