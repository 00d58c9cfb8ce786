import { currentDefinitions } from '../definitions/current-definitions.ts';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { appendDefinitionsVersion } from '../db/repositories/definitions.ts';
import { describeChanges } from '../domain/policy/describe-change.ts';
import type { DefinitionsError } from '../domain/policy/definitions-error.ts';
import { diffDefinitions, type DefinitionsChange } from '../domain/policy/diff.ts';
import { parseDefinitions, type DefinitionsFormat } from '../domain/policy/serialize.ts';
import { attributionCompute } from '../jobs/attribution-compute.job.ts';
import { hygieneEvaluate } from '../jobs/hygiene-evaluate.job.ts';
import type { QueueDeps } from '../queue/deps.ts';
import { dispatchIntent, recordIntent } from '../queue/enqueue.ts';

export type DefinitionsUpdate = {
  text: string;
  format: DefinitionsFormat;
  author: string;
  reason: string;
};

export type DefinitionsUpdateResult =
  | { ok: true; changed: true; version: number; changes: DefinitionsChange[]; summary: string[] }
  | { ok: true; changed: false; version: number }
  | { ok: false; errors: DefinitionsError[] };

/**
 * An admin's new definitions document (JSON or YAML): refused whole with every error (path + message)
 * if it doesn't validate; otherwise stored as the next immutable version with its author, reason and
 * diff, and a re-evaluation and re-attribution of every record queued in the same transaction (outbox
 * style), so a stored version always gets them. A document equal to the current version makes no version.
 */
export async function changeDefinitions(
  deps: { db: pg.Pool; queueDeps: QueueDeps },
  portalId: number,
  update: DefinitionsUpdate,
): Promise<DefinitionsUpdateResult> {
  const problems: DefinitionsError[] = [];
  if (!update.author.trim()) problems.push({ path: 'author', message: 'who made the change is required' });
  if (!update.reason.trim()) problems.push({ path: 'reason', message: 'why the change was made is required' });
  const parsed = parseDefinitions(update.text, update.format);
  if (!parsed.ok) problems.push(...parsed.errors);
  if (problems.length > 0 || !parsed.ok) return { ok: false, errors: problems };

  const latest = await currentDefinitions(deps.db, portalId);
  const changes = diffDefinitions(latest.definitions, parsed.definitions);
  if (changes.length === 0) return { ok: true, changed: false, version: latest.version };

  const { version, intents } = await withTransaction(deps.db, async (tx) => {
    const appended = await appendDefinitionsVersion(tx, portalId, {
      document: parsed.definitions,
      author: update.author.trim(),
      reason: update.reason.trim(),
      diff: changes,
    });
    const runKey = `definitions-v${appended}`;
    // Channels, models and the lookback are definitions too: attribution is recomputed as well.
    const evaluation = await recordIntent(tx, hygieneEvaluate, { portalId }, { runKey });
    const attribution = await recordIntent(tx, attributionCompute, { portalId }, { runKey });
    return { version: appended, intents: [evaluation.intent, attribution.intent] as const };
  });
  await dispatchIntent(deps.queueDeps.queues, hygieneEvaluate, intents[0]);
  await dispatchIntent(deps.queueDeps.queues, attributionCompute, intents[1]);
  return { ok: true, changed: true, version, changes, summary: describeChanges(changes) };
}
