import type { Queryable } from '../pool.ts';

export type DefinitionsVersionRow = {
  version: number;
  document: unknown;
  author: string;
  reason: string;
  diff: unknown;
  createdAt: Date;
};

/** Stores version 1 (the default policy) for a portal that has no definitions yet; a no-op otherwise. */
export async function ensureFirstDefinitions(db: Queryable, portalId: number, document: unknown): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO definitions_versions (portal_id, version, document, author, reason)
     VALUES ($1, 1, $2, 'Closed Loop', 'Default policy on install')
     ON CONFLICT (portal_id, version) DO NOTHING`,
    [portalId, JSON.stringify(document)],
  );
  return (rowCount ?? 0) > 0;
}

export async function latestDefinitions(db: Queryable, portalId: number): Promise<DefinitionsVersionRow | undefined> {
  const { rows } = await db.query<DefinitionsVersionRow>(
    `SELECT version, document, author, reason, diff, created_at AS "createdAt"
       FROM definitions_versions WHERE portal_id = $1 ORDER BY version DESC LIMIT 1`,
    [portalId],
  );
  return rows[0];
}

/**
 * Appends the next version (max + 1). Versions are never updated: a change is always a new row.
 * Two concurrent appends collide on the primary key; the caller retries the loser.
 */
export async function appendDefinitionsVersion(
  db: Queryable,
  portalId: number,
  version: { document: unknown; author: string; reason: string; diff: unknown },
): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO definitions_versions (portal_id, version, document, author, reason, diff)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM definitions_versions WHERE portal_id = $1
     RETURNING version`,
    [portalId, JSON.stringify(version.document), version.author, version.reason, JSON.stringify(version.diff)],
  );
  const appended = rows[0]?.version;
  if (appended === undefined) throw new Error(`no definitions version was appended for portal ${portalId}`);
  return appended;
}

export type ChangeLogEntry = { version: number; author: string; reason: string; diff: unknown; createdAt: Date };

/** The change log: every version's author, reason and diff, newest first. */
export async function listDefinitionsChangeLog(db: Queryable, portalId: number): Promise<ChangeLogEntry[]> {
  const { rows } = await db.query<ChangeLogEntry>(
    `SELECT version, author, reason, diff, created_at AS "createdAt"
       FROM definitions_versions WHERE portal_id = $1 ORDER BY version DESC`,
    [portalId],
  );
  return rows;
}
