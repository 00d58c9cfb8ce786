import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDigestTasks } from '../../../server/db/repositories/digests.ts';
import { WeeklyDigest, isoWeekOf } from '../../../server/domain/metrics/index.ts';
import { HubSpotApiError } from '../../../server/hubspot/errors.ts';
import type { PortalHubSpotClient } from '../../../server/hubspot/portal-client.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { loopDigest } from '../../../server/jobs/loop-digest.job.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { buildWeeklyDigest } from '../../../server/loops/build-weekly-digest.ts';
import { DigestDeliveryIncomplete, deliverDigestTasks } from '../../../server/loops/deliver-digest-tasks.ts';
import { enqueue } from '../../../server/queue/enqueue.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/server.ts';
import { tasksOf } from '../../../server/sandbox/tasks/task-store.ts';
import { loopDigestProcessor } from '../../../workers/processors/loop-digest.ts';
import { startWorkers, type RunningWorkers } from '../../../workers/start-workers.ts';
import { browse, startApp, type AppUnderTest } from '../../helpers/app-under-test.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';
import { waitFor } from '../queue/helpers/wait-for.ts';

/**
 * The weekly digest end to end: the app installed through the sandbox, the demo portal in the mirror
 * and evaluated, then the `loop.digest` job run by a worker against the sandbox. What it should send is
 * computed here independently, in plain SQL over the issue log and the mirror.
 */
const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const DAY = 86_400_000;
const evaluatedAt = new Date(fixture.now); // 2026-11-01, a Sunday
const monday = new Date('2026-11-09T07:00:00Z');
const TYPE_ID = { contact: 204, company: 192, deal: 216, ticket: 230 } as const;
const TABLE = { contact: 'contacts', company: 'companies', deal: 'deals', ticket: 'tickets' } as const;

let sandbox: Sandbox;
let app: AppUnderTest;
let workers: RunningWorkers;
let clock = monday;
const portalId = fixture.portalId;

beforeAll(async () => {
  sandbox = await startSandbox({ fixture: 'tests/fixtures/demo-portal.json' });
  app = await startApp({ databaseUrl: db.url, hubspotUrl: sandbox.url });
  expect((await browse(`${app.url}/oauth/install`)).at(-1)!.status).toBe(200);
  // The mirror as a finished sync leaves it (the install's own sync has no worker here), then evaluated.
  await seedMirror(db.pool, fixture);
  await evaluatePortalHygiene(db.pool, portalId, { now: evaluatedAt });
  // Spread the findings' ages over 0–40 days before the digest, so some are too young for a task and
  // the oldest-first order of linked records is exercised.
  await db.pool.query(
    `UPDATE findings SET first_seen_at = $2::timestamptz - make_interval(days => (object_id % 41)::int)
      WHERE portal_id = $1`,
    [portalId, monday],
  );
  workers = startWorkers({
    env: app.env,
    processors: [loopDigestProcessor({ clientFor: app.context.clientFor, clock: () => clock })],
    log: createLogger({ level: 'silent', name: 'test' }),
  });
  await workers.ready;
});
afterAll(async () => {
  await workers?.stop();
  await app?.close();
  await sandbox?.close();
});

type Expected = {
  ownerId: string;
  findings: number;
  records: { type: keyof typeof TABLE; id: string; firstSeen: number }[];
};

/** Per active owner: old findings on their records, and those records with their oldest first-seen. */
async function expectedTasks(now: Date): Promise<Map<string, Expected>> {
  const { rows } = await db.pool.query<{ owner: string; type: keyof typeof TABLE; id: string; n: number; first: Date }>(
    `SELECT c.properties ->> 'hubspot_owner_id' AS owner, f.object_type AS type, f.object_id::text AS id,
            count(*)::int AS n, min(f.first_seen_at) AS first
       FROM findings f
       JOIN (SELECT 'contact' AS t, id, properties FROM contacts WHERE portal_id = $1
             UNION ALL SELECT 'company', id, properties FROM companies WHERE portal_id = $1
             UNION ALL SELECT 'deal', id, properties FROM deals WHERE portal_id = $1
             UNION ALL SELECT 'ticket', id, properties FROM tickets WHERE portal_id = $1) c
         ON c.t = f.object_type AND c.id = f.object_id
       JOIN owners o ON o.portal_id = $1 AND o.id = c.properties ->> 'hubspot_owner_id' AND NOT o.archived
      WHERE f.portal_id = $1 AND f.resolved_at IS NULL AND f.first_seen_at <= $2::timestamptz - interval '7 days'
      GROUP BY 1, 2, 3`,
    [portalId, now],
  );
  const byOwner = new Map<string, Expected>();
  for (const r of rows) {
    const e = byOwner.get(r.owner) ?? { ownerId: r.owner, findings: 0, records: [] };
    e.findings += r.n;
    e.records.push({ type: r.type, id: r.id, firstSeen: r.first.getTime() });
    byOwner.set(r.owner, e);
  }
  return byOwner;
}

const taskCreates = () =>
  sandbox.writes
    .list({ method: 'POST' })
    .filter((w) => w.path.startsWith('/crm/v3/objects/tasks') && !w.path.endsWith('/search'));

async function runDigestJob(runKey: string): Promise<void> {
  const { intent } = await enqueue(app.context.queueDeps, loopDigest, { portalId }, { runKey });
  await waitFor(`the ${runKey} digest job`, async () => {
    const { rows } = await db.pool.query(`SELECT status, last_error FROM job_intents WHERE id = $1`, [intent.id]);
    if (rows[0]?.status === 'failed') throw new Error(`digest job failed: ${rows[0].last_error}`);
    return rows[0]?.status === 'completed';
  });
}

describe('the weekly digest', () => {
  it('builds the week’s digest and sends one task per owner with old findings, linking the oldest records', async () => {
    const expected = await expectedTasks(monday);
    expect(expected.size).toBeGreaterThan(1);
    await runDigestJob('first');

    const week = isoWeekOf(monday);
    const digests = await db.pool.query(`SELECT week, body FROM digests WHERE portal_id = $1`, [portalId]);
    expect(digests.rows.map((r) => r.week)).toEqual([week]);
    const digest = WeeklyDigest.parse(digests.rows[0].body);
    const open = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM findings WHERE portal_id = $1 AND resolved_at IS NULL`,
      [portalId],
    );
    expect(digest.openFindings).toBe(open.rows[0]!.n);
    expect(Object.values(digest.byAge).reduce((a, b) => a + b, 0)).toBe(digest.openFindings);
    expect(digest.byOwner.reduce((n, o) => n + o.open, 0)).toBe(digest.openFindings);

    const creates = taskCreates();
    expect(creates).toHaveLength(expected.size);
    expect(creates.every((w) => w.status === 201 && w.path === '/crm/v3/objects/tasks')).toBe(true);
    const tasks = tasksOf(sandbox.store).all();
    expect(tasks.map((t) => t.properties.get('hubspot_owner_id')).sort()).toEqual([...expected.keys()].sort());
    for (const task of tasks) {
      const want = expected.get(task.properties.get('hubspot_owner_id')!)!;
      expect(task.properties.get('hs_task_subject')).toBe(
        `Closed Loop digest ${week}: ${want.findings} data issue${want.findings === 1 ? '' : 's'} older than a week on your records`,
      );
      expect(task.properties.get('hs_timestamp')).toBe(new Date(monday.getTime() + 4 * DAY).toISOString());
      expect(task.properties.get('hs_task_status')).toBe('NOT_STARTED');
      // The oldest records (ties by id, then type), at most 20, each with its type's task association.
      const oldest = [...want.records]
        .sort((a, b) => a.firstSeen - b.firstSeen || Number(a.id) - Number(b.id) || (a.type < b.type ? -1 : 1))
        .slice(0, 20);
      expect(task.associations.map((a) => [a.toType, a.toId, a.typeId])).toEqual(
        oldest.map((r) => [TABLE[r.type], r.id, TYPE_ID[r.type]]),
      );
    }
    const rows = await listDigestTasks(db.pool, portalId, week);
    expect(rows.map((r) => [r.ownerId, r.status])).toEqual([...expected.keys()].sort().map((o) => [o, 'created']));
    expect(new Set(rows.map((r) => r.taskId))).toEqual(new Set(tasks.map((t) => t.id)));
  });

  it('sends nothing more when the job runs again in the same week, even after the issue log changed', async () => {
    const before = taskCreates().length;
    await db.pool.query(`UPDATE findings SET first_seen_at = first_seen_at - interval '30 days' WHERE portal_id = $1`, [
      portalId,
    ]);
    clock = new Date(monday.getTime() + 2 * DAY); // Wednesday of the same ISO week
    await runDigestJob('second');
    expect(taskCreates()).toHaveLength(before);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM digests`)).rows[0].n).toBe(1);
  });

  it('looks a task up after a lost answer instead of sending it twice, and records a refusal without retrying it', async () => {
    const nextMonday = new Date(monday.getTime() + 7 * DAY);
    const built = await buildWeeklyDigest(db.pool, portalId, nextMonday);
    expect(built.created).toBe(true);
    const planned = await listDigestTasks(db.pool, portalId, built.week);
    expect(planned.length).toBeGreaterThan(1);
    // One owner leaves the portal after the digest was planned: HubSpot refuses a task assigned to them.
    const leaving = planned[0]!.ownerId;
    const owner = sandbox.store.owners.find((o) => o.id === leaving)!;
    sandbox.store.putOwner({ ...owner, archived: true });

    // HubSpot creates the second owner's task, but its answer is lost (the connection drops).
    const lostFor = planned[1]!.ownerId;
    const client = app.context.clientFor(portalId);
    let lost = false;
    const flaky: Pick<PortalHubSpotClient, 'call'> = {
      async call(op, options) {
        const result = await client.call(op, options);
        if (!lost && (result as { properties?: Record<string, string> }).properties?.hubspot_owner_id === lostFor) {
          lost = true;
          throw new HubSpotApiError('transient', undefined, undefined, {}, new Error('socket hang up'));
        }
        return result;
      },
    };
    const createsBefore = taskCreates().length;
    await expect(deliverDigestTasks({ db: db.pool, client: flaky }, portalId, built.week, nextMonday)).rejects.toThrow(
      DigestDeliveryIncomplete,
    );
    const afterFirst = await listDigestTasks(db.pool, portalId, built.week);
    const status = Object.fromEntries(afterFirst.map((r) => [r.ownerId, r.status]));
    expect(status[leaving]).toBe('failed');
    expect(afterFirst.find((r) => r.ownerId === leaving)!.error).toContain('INVALID_OPTION');
    expect(status[lostFor]).toBe('sending');
    expect(afterFirst.filter((r) => r.status === 'created')).toHaveLength(planned.length - 2);

    // Within the lease the unanswered create may still be in flight: nothing is sent or looked up.
    const searchesBefore = sandbox.writes.list({ pathPrefix: '/crm/v3/objects/tasks/search' }).length;
    await expect(
      deliverDigestTasks({ db: db.pool, client }, portalId, built.week, new Date(nextMonday.getTime() + 60_000)),
    ).rejects.toThrow(DigestDeliveryIncomplete);
    expect(sandbox.writes.list({ pathPrefix: '/crm/v3/objects/tasks/search' })).toHaveLength(searchesBefore);

    // After it, the task is found by owner and subject and recorded; it is not created again.
    const report = await deliverDigestTasks(
      { db: db.pool, client },
      portalId,
      built.week,
      new Date(nextMonday.getTime() + 3 * 60_000),
    );
    expect(report).toEqual({ created: 0, found: 1, failed: 0, unresolved: 0 });
    expect(sandbox.writes.list({ pathPrefix: '/crm/v3/objects/tasks/search' })).toHaveLength(searchesBefore + 1);
    // One create per owner but the one who left (refused, 400): none of them twice.
    const creates = taskCreates().slice(createsBefore);
    expect(creates.filter((w) => w.status === 201)).toHaveLength(planned.length - 1);
    expect(creates.filter((w) => w.status === 400)).toHaveLength(1);
    const final = await listDigestTasks(db.pool, portalId, built.week);
    expect(final.find((r) => r.ownerId === lostFor)).toMatchObject({ status: 'created' });
    const weekTasks = tasksOf(sandbox.store)
      .all()
      .filter((t) => t.properties.get('hs_task_subject')!.includes(built.week));
    expect(weekTasks.map((t) => t.properties.get('hubspot_owner_id')).sort()).toEqual(
      planned.map((p) => p.ownerId).filter((o) => o !== leaving),
    );

    // A further run changes nothing: the refused task stays refused.
    const quiet = await deliverDigestTasks(
      { db: db.pool, client },
      portalId,
      built.week,
      new Date(nextMonday.getTime() + DAY),
    );
    expect(quiet).toEqual({ created: 0, found: 0, failed: 0, unresolved: 0 });
    expect(taskCreates().slice(createsBefore)).toHaveLength(creates.length);
  });
});
