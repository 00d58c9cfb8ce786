// `npm run portal:delete -- --portal N --reason "…"`: deletes every row of one portal (with an audit row).
import { parseArgs } from 'node:util';
import { loadEnv } from '../config/env.ts';
import { createAppContext } from '../context.ts';

const { values } = parseArgs({ options: { portal: { type: 'string' }, reason: { type: 'string' } } });
const portalId = Number(values.portal);
if (!Number.isSafeInteger(portalId) || portalId <= 0 || !values.reason?.trim()) {
  console.error('usage: npm run portal:delete -- --portal <portal id> --reason "<why, for the audit log>"');
  process.exit(64);
}
const context = createAppContext(loadEnv(), { name: 'cli' });
try {
  const report = await context.uninstall(portalId, `cli: ${values.reason.trim()}`);
  const rows = Object.entries(report.rowCounts).map(([table, n]) => `${table}: ${n}`);
  console.log(rows.length ? `Deleted portal ${portalId}: ${rows.join(', ')}` : `Portal ${portalId} had no data.`);
} finally {
  await context.close();
}
