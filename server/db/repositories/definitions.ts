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
