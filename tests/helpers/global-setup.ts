import pg from 'pg';
import { migrate } from '../../server/db/migrate.ts';
import { TEMPLATE_DATABASE, databaseUrl } from './database.ts';

/**
 * Builds the template database once per test run: dropped, re-created and migrated, so every test
 * file's clone starts from exactly the current migrations.
 */
export default async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  await migrate(databaseUrl(TEMPLATE_DATABASE));
}
