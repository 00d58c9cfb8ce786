// `npm run sync:progress -- --portal N [--wait] [--interval MS]`: a progress bar of the portal's running
// sync, polled from Postgres (the data of GET /operator/portals/:id/sync). Exits when the run ends:
// 0 if it succeeded, 1 if it failed. With nothing running it prints the last run and exits 0, or with
// --wait waits for the next one.
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { loadEnv } from '../config/env.ts';
import { createPool } from '../db/pool.ts';
import { barStateOf, describeRun } from '../observability/sync-progress-text.ts';
import { readSyncStatus, type RunProgress } from '../observability/sync-status.ts';

const USAGE = 'usage: npm run sync:progress -- --portal <portal id> [--wait] [--interval <ms, default 1000>]';
const { values } = parseArgs({
  options: { portal: { type: 'string' }, wait: { type: 'boolean' }, interval: { type: 'string' } },
});
const portalId = Number(values.portal);
const intervalMs = values.interval === undefined ? 1000 : Number(values.interval);
if (!Number.isSafeInteger(portalId) || portalId <= 0 || !Number.isSafeInteger(intervalMs) || intervalMs < 50) {
  console.error(USAGE);
  process.exit(64);
}

const db = createPool(loadEnv().DATABASE_URL, 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function status() {
  const found = await readSyncStatus(db, portalId, { history: 5 });
  if (!found) throw new UserError(`portal ${portalId} is not known to Closed Loop`);
  return found;
}

class UserError extends Error {}

/** Follows one run until it is no longer running; returns its final state. */
async function follow(first: RunProgress) {
  const bar = new SingleBar({
    format:
      first.streams === null
        ? '{label} | {records} | {duration_formatted}'
        : '{label} [{bar}] {value}/{total} streams | {records} | {stream} | {duration_formatted}',
    hideCursor: true,
    // In a log (no terminal) a line every few seconds instead of a redrawn bar.
    noTTYOutput: true,
    notTTYSchedule: 5_000,
  });
  const start = barStateOf(first);
  bar.start(start.total, start.value, start.payload);
  let current = first;
  try {
    for (;;) {
      await sleep(intervalMs);
      const now = await status();
      const same = now.running.find((p) => p.run.id === current.run.id);
      if (!same) break;
      current = same;
      const state = barStateOf(current);
      bar.setTotal(state.total);
      bar.update(state.value, state.payload);
    }
  } finally {
    bar.stop();
  }
  return (await status()).history.find((run) => run.id === current.run.id) ?? current.run;
}

let exitCode = 0;
try {
  let running = (await status()).running[0];
  while (!running) {
    const last = (await status()).history[0];
    if (!values.wait) {
      console.log(last ? `No sync running. Last: ${describeRun(last)}` : 'No sync has run for this portal yet.');
      break;
    }
    await sleep(intervalMs);
    running = (await status()).running[0];
  }
  if (running) {
    const finished = await follow(running);
    console.log(describeRun(finished));
    exitCode = finished.status === 'succeeded' ? 0 : 1;
  }
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  console.error(error.message);
  exitCode = 1;
} finally {
  await db.end();
}
process.exit(exitCode);
