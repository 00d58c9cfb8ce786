import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createPool } from '../../server/db/pool.ts';

/** The server the tests use; the database part of the URL is replaced per test file. */
export const TEST_SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Clones the migrated template into a new, uniquely named database. */
export async function createTestDatabase(): Promise<string> {
  const name = `closed_loop_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        // Names are generated above from hex, never from input.
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
        return;
      } catch (error) {
        // 55006: the template is briefly "being accessed" by a concurrent clone; try again.
        if ((error as { code?: string }).code !== '55006' || attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
      }
    }
  });
  return databaseUrl(name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A fresh, migrated database for the calling test file: `db.pool` and `db.url` are ready inside the
 * tests and the database is dropped afterwards.
 */
export function useTestDatabase(): { readonly pool: pg.Pool; readonly url: string } {
  const state: { pool?: pg.Pool; url?: string } = {};
  beforeAll(async () => {
    state.url = await createTestDatabase();
    state.pool = createPool(state.url, 5);
    // `pool.end()` resolves before its clients have closed, so the forced DROP at the end may still
    // terminate one (57P01): expected then, a real error at any other time.
    state.pool.on('error', (error: Error & { code?: string }) => {
      if (error.code !== '57P01') throw error;
    });
  });
  afterAll(async () => {
    await state.pool?.end();
    if (state.url) await dropTestDatabase(state.url);
  });
  return {
    get pool() {
      if (!state.pool) throw new Error('useTestDatabase: the database exists only inside tests');
      return state.pool;
    },
    get url() {
      if (!state.url) throw new Error('useTestDatabase: the database exists only inside tests');
      return state.url;
    },
  };
}
