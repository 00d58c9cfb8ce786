// `npm run ingest:key -- --portal N --label "…" [--by you@example.com]`: creates an ingest API key for a
// portal and prints it once (only its hash is kept). The admin settings page will do the same.
import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env.ts';
import { createPool } from '../db/pool.ts';
import { findPortal } from '../db/repositories/portals.ts';
import { createApiKey } from '../ingest/api-key.ts';

const { values } = parseArgs({
  options: { portal: { type: 'string' }, label: { type: 'string' }, by: { type: 'string', default: 'cli' } },
});
const portalId = Number(values.portal);
if (!Number.isSafeInteger(portalId) || portalId <= 0 || !values.label?.trim()) {
  console.error('usage: npm run ingest:key -- --portal <portal id> --label "<what the key is for>" [--by <who>]');
  process.exit(64);
}
const db = createPool(loadEnv().DATABASE_URL, 1);
try {
  if ((await findPortal(db, portalId))?.status !== 'installed') {
    console.error(`portal ${portalId} is not installed`);
    process.exit(1);
  }
  const { key } = await createApiKey(db, portalId, { label: values.label.trim(), createdBy: values.by });
  console.log(key);
} finally {
  await db.end();
}
