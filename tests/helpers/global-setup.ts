import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../server/db/migrate.ts';
import { databaseUrl } from './database.ts';

declare module 'vitest' {
  interface ProvidedContext {
    templateDatabase: string;
  }
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Builds a template database once per test run, migrated from the migration files, and hands its
 * name to the test files; each file clones it (fast). The name is unique per run, so two runs on one
 * machine (a developer and CI, or parallel sessions) never pull each other's template away.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `closed_loop_template_${randomBytes(4).toString('hex')}`;
  // The name is generated above from hex, never from input.
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  await migrate(databaseUrl(name));
  project.provide('templateDatabase', name);
  return async () => {
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
}
