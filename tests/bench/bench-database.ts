import pg from 'pg';
import { freshDemoDatabase } from '../../server/demo/demo-database.ts';

/**
 * A benchmark's own database: dropped and created again from the migrations for each case (so every
 * measured run starts fresh), tidied after seeding, and dropped when the case is done (a 1M-record
 * portal takes gigabytes).
 */
export type BenchDatabase = { url: string; pool: pg.Pool; settle(): Promise<void>; drop(): Promise<void> };

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function freshBenchDatabase(name: string): Promise<BenchDatabase> {
  const url = await freshDemoDatabase(SERVER_URL, name);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return {
    url,
    pool,
    // After a bulk load: statistics for the planner, hint bits and the visibility map set now rather than
    // by the first pass that reads the rows, and the load's dirty pages flushed, so the measured passes
    // neither pay for the seeding nor compete with a checkpoint of it.
    async settle() {
      await pool.query('VACUUM (ANALYZE)');
      await pool.query('CHECKPOINT');
    },
    async drop() {
      await pool.end();
      const admin = new URL(SERVER_URL);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        // `name` was checked against a strict pattern by freshDemoDatabase.
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
