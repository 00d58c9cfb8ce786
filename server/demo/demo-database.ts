import pg from 'pg';
import { migrate } from '../db/migrate.ts';

/**
 * The demo's own database, dropped and re-created on every run, so the same fixture gives the same
 * outputs and the demo never touches a developer's data.
 */
export async function freshDemoDatabase(serverUrl: string, name = 'closed_loop_demo'): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`database name "${name}" must be lower-case letters, digits or _`);
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    // The name was checked against a strict pattern above.
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return url.toString();
}
