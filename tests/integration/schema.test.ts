import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/database.ts';

const db = useTestDatabase();

// Tables that belong to no portal: the migration ledger, and the audit of deletions (it outlives them).
const GLOBAL_TABLES = new Set(['schema_migrations', 'deletion_audit']);

describe('schema', () => {
  it('keys every table that holds portal data by portal_id', async () => {
    const { rows } = await db.pool.query<{ table_name: string; has_portal: boolean; leads_pk: boolean }>(`
      SELECT t.table_name,
             EXISTS (SELECT 1 FROM information_schema.columns c
                      WHERE c.table_schema = 'public' AND c.table_name = t.table_name
                        AND c.column_name = 'portal_id') AS has_portal,
             COALESCE((SELECT a.attname = 'portal_id'
                         FROM pg_index i
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                        WHERE i.indrelid = ('public.' || t.table_name)::regclass AND i.indisprimary), false) AS leads_pk
        FROM information_schema.tables t
       WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
       ORDER BY t.table_name`);
    const portalTables = rows.filter((r) => !GLOBAL_TABLES.has(r.table_name));
    expect(portalTables.length).toBeGreaterThan(15);
    for (const row of portalTables) {
      expect(row.has_portal, `${row.table_name} has a portal_id column`).toBe(true);
    }
    // The primary key starts with portal_id wherever a portal owns the row outright. Admin sessions are
    // the exception: a request finds its session by the hash of the browser's cookie before it knows
    // the portal (the row then says which portal the session may see).
    const keyedOtherwise = ['sync_runs', 'job_intents', 'admin_sessions'];
    const notLeading = portalTables.filter((r) => !r.leads_pk && !keyedOtherwise.includes(r.table_name));
    expect(notLeading.map((r) => r.table_name)).toEqual([]);
  });

  it('derives query columns from the stored properties and rejects a second copy of a pair', async () => {
    await db.pool.query(`INSERT INTO portals (portal_id) VALUES (42)`);
    await db.pool.query(
      `INSERT INTO contacts (portal_id, id, properties, created_at, updated_at)
       VALUES (42, 101, $1, now(), now())`,
      [{ email: '  Ana@Example.COM ', lifecyclestage: 'lead' }],
    );
    const { rows } = await db.pool.query(`SELECT email, lifecyclestage FROM contacts WHERE portal_id = 42`);
    expect(rows).toEqual([{ email: 'ana@example.com', lifecyclestage: 'lead' }]);
    await expect(
      db.pool.query(
        `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES (42, 'deals', 1, 'contacts', 101)`,
      ),
    ).rejects.toThrow(/associations_check/);
  });
});
