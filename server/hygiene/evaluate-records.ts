import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { saveComputedProperties } from '../db/repositories/computed-properties.ts';
import { recordFindings, type FindingRow } from '../db/repositories/findings.ts';
import { currentDefinitions } from '../definitions/current-definitions.ts';
import {
  evaluateRecord,
  recordKey,
  type DuplicateMatch,
  type RecordEvaluation,
  type RecordInput,
} from '../domain/hygiene/index.ts';
import type { CrmObject, Definitions } from '../domain/policy/index.ts';
import { HUBSPOT_OBJECT_TYPE } from '../domain/policy/primitives.ts';
import { duplicatesAround } from './duplicates-around.ts';
import { loadRecords } from './load-records.ts';

/** A record to evaluate, as the engine names objects. */
export type RecordRef = { objectType: CrmObject; objectId: number };

/** What one evaluation run holds fixed for all its batches. */
export type EvaluationRun = {
  portalId: number;
  definitions: Definitions;
  definitionsVersion: number;
  /** Duplicate-group memberships of the records evaluated (found set-wise beforehand). */
  duplicates: ReadonlyMap<string, DuplicateMatch[]>;
  now: Date;
};

export type BatchResult = { records: number; open: number; resolved: number };

const OBJECT_ORDER: readonly CrmObject[] = ['contact', 'company', 'deal', 'ticket'];

/**
 * Evaluates some records and writes what the engine said: their section-8 properties (for write-back)
 * and their issue log (open what is found, resolve what is gone). A ref whose record is gone or
 * archived is still "evaluated": its open findings are resolved, since there is nothing left to fix.
 * Run it inside a transaction, so the log and the properties move together.
 */
export async function evaluateAndRecord(
  tx: Queryable,
  run: EvaluationRun,
  refs: readonly RecordRef[],
): Promise<BatchResult> {
  const result: BatchResult = { records: 0, open: 0, resolved: 0 };
  for (const objectType of OBJECT_ORDER) {
    const ids = [...new Set(refs.filter((r) => r.objectType === objectType).map((r) => r.objectId))].sort(
      (a, b) => a - b,
    );
    if (ids.length === 0) continue;
    const evaluations = evaluateLoaded(run, await loadRecords(tx, run.portalId, objectType, ids));
    const written = await recordEvaluations(tx, run, objectType, ids, evaluations);
    result.records += written.records;
    result.open += written.open;
    result.resolved += written.resolved;
  }
  return result;
}

/** The engine over records loaded for this run (each with its duplicate memberships). */
export function evaluateLoaded(run: EvaluationRun, records: readonly RecordInput[]): RecordEvaluation[] {
  return records.map((record) =>
    evaluateRecord(record, run.definitions, run.now, { duplicates: run.duplicates.get(recordKey(record)) ?? [] }),
  );
}

/**
 * Writes the evaluations of the records `ids` (of one type; those without an evaluation are gone, and
 * their open findings are resolved). Run it inside a transaction, so the log and the properties move
 * together.
 */
export async function recordEvaluations(
  tx: Queryable,
  run: EvaluationRun,
  objectType: CrmObject,
  ids: readonly number[],
  evaluations: readonly RecordEvaluation[],
): Promise<BatchResult> {
  // The values section 8 writes back, kept for write-back to compare with what HubSpot has.
  await saveComputedProperties(
    tx,
    run.portalId,
    'hygiene',
    run.now,
    evaluations.map((e) => ({
      objectType: HUBSPOT_OBJECT_TYPE[e.objectType],
      objectId: Number(e.objectId),
      properties: e.properties,
    })),
  );
  const written = await recordFindings(tx, run.portalId, {
    definitionsVersion: run.definitionsVersion,
    now: run.now,
    evaluated: ids.map((id) => ({ objectType, objectId: id })),
    findings: findingRows(evaluations),
  });
  return { records: evaluations.length, ...written };
}

/** The findings of some evaluations as the issue log takes them. */
function findingRows(evaluations: readonly RecordEvaluation[]): FindingRow[] {
  const rows: FindingRow[] = [];
  for (const e of evaluations) {
    const ownerId = e.ownerId ?? null;
    for (const f of e.findings)
      rows.push({
        objectType: f.objectType,
        objectId: Number(f.objectId),
        code: f.code,
        field: f.field ?? null,
        severity: f.severity,
        proposedFix: f.proposedFix,
        ownerId,
      });
  }
  return rows;
}

/**
 * Re-evaluates the given records now, against the portal's current definitions, in one transaction:
 * for a write that must show its effect at once (a field filled from a card). What depends on them
 * follows through the change log (`evaluate-changes.ts`).
 */
export async function evaluateRecords(
  db: pg.Pool,
  portalId: number,
  refs: readonly RecordRef[],
  options: { now: Date },
): Promise<BatchResult & { definitionsVersion: number }> {
  return withTransaction(db, async (tx) => {
    const current = await currentDefinitions(tx, portalId);
    const around = await duplicatesAround(tx, portalId, current.definitions, refs);
    const result = await evaluateAndRecord(
      tx,
      {
        portalId,
        definitions: current.definitions,
        definitionsVersion: current.version,
        duplicates: around.duplicates,
        now: options.now,
      },
      [...refs, ...around.related],
    );
    return { ...result, definitionsVersion: current.version };
  });
}
