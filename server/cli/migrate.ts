// `npm run db:migrate`: creates the database if it is missing, then applies pending migrations.
import { loadEnv } from '../config/env.ts';
import { ensureDatabase } from '../db/ensure-database.ts';
import { migrate } from '../db/migrate.ts';

const env = loadEnv();
await ensureDatabase(env.DATABASE_URL);
const applied = await migrate(env.DATABASE_URL);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
