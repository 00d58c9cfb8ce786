import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../server/config/env.ts';
import { createAppContext, type AppContext } from '../../../server/context.ts';
import { ensureFirstDefinitions, listDefinitionsChangeLog } from '../../../server/db/repositories/definitions.ts';
import { listFindings } from '../../../server/db/repositories/findings.ts';
import { DEFAULT_DEFINITIONS } from '../../../server/domain/policy/default-policy.ts';
import { exportDefinitions } from '../../../server/domain/policy/serialize.ts';
import { changeDefinitions } from '../../../server/hygiene/change-definitions.ts';
import { evaluatePortalHygiene } from '../../../server/hygiene/evaluate-portal.ts';
import { useTestDatabase } from '../../helpers/database.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../../helpers/redis.ts';
import { seedMirror, type MirrorFixture } from '../../helpers/seed-mirror.ts';

const db = useTestDatabase();
const fixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as MirrorFixture & { now: string };
const now = new Date(fixture.now);
let app: AppContext;

beforeAll(async () => {
  app = createAppContext(
    parseEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL }),
    {
      redisPrefix: uniquePrefix('defs'),
    },
  );
  await seedMirror(db.pool, fixture);
  await ensureFirstDefinitions(db.pool, fixture.portalId, DEFAULT_DEFINITIONS);
  await evaluatePortalHygiene(db.pool, fixture.portalId, { now });
});
afterAll(async () => {
  await app?.close();
});

const versions = async () => (await listDefinitionsChangeLog(db.pool, fixture.portalId)).map((v) => v.version);
const pendingEvaluations = async () =>
  (
    await db.pool.query(
      `SELECT id FROM job_intents WHERE name IN ('hygiene.evaluate', 'attribution.compute') AND status = 'pending'
        ORDER BY id`,
    )
  ).rows.map((r) => r.id as string);

describe('changing the definitions', () => {
  it('refuses an invalid document with every error listed and changes nothing', async () => {
    const yaml = exportDefinitions(DEFAULT_DEFINITIONS, 'yaml')
      .replace('lookbackDays: 365', 'lookbackDays: -5')
      .replace('rule: positive_number', 'rule: bigger_than_zero');
    const result = await changeDefinitions({ db: db.pool, queueDeps: app.queueDeps }, fixture.portalId, {
      text: yaml,
      format: 'yaml',
      author: 'ana.ruiz@example.com',
      reason: '',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.errors.map((e) => e.path);
    expect(paths).toContain('reason');
    expect(paths.some((p) => p.includes('lookbackDays'))).toBe(true);
    expect(paths.some((p) => p.startsWith('requiredFields'))).toBe(true);
    expect(await versions()).toEqual([1]);
    expect(await pendingEvaluations()).toEqual([]);
  });

  it('makes no version for an unchanged document', async () => {
    const result = await changeDefinitions({ db: db.pool, queueDeps: app.queueDeps }, fixture.portalId, {
      text: exportDefinitions(DEFAULT_DEFINITIONS, 'json'),
      format: 'json',
      author: 'ana.ruiz@example.com',
      reason: 'no-op',
    });
    expect(result).toEqual({ ok: true, changed: false, version: 1 });
  });

  it('stores a new required field as version 2 with its diff, and re-evaluates every record under it', async () => {
    const changed = {
      ...DEFAULT_DEFINITIONS,
      requiredFields: [
        ...DEFAULT_DEFINITIONS.requiredFields,
        {
          object: 'deal' as const,
          stage: 'discovery',
          applies: 'from' as const,
          field: 'description',
          rule: 'non_empty' as const,
        },
      ],
    };
    const result = await changeDefinitions({ db: db.pool, queueDeps: app.queueDeps }, fixture.portalId, {
      text: exportDefinitions(changed, 'yaml'),
      format: 'yaml',
      author: 'ana.ruiz@example.com',
      reason: 'Delivery needs a deal description before kickoff',
    });
    expect(result).toMatchObject({ ok: true, changed: true, version: 2 });
    if (!result.ok || !result.changed) return;
    expect(result.changes).toHaveLength(1);
    expect(result.summary[0]).toMatch(/description/);
    const log = await listDefinitionsChangeLog(db.pool, fixture.portalId);
    expect(log[0]).toMatchObject({
      version: 2,
      author: 'ana.ruiz@example.com',
      reason: 'Delivery needs a deal description before kickoff',
    });
    expect(await pendingEvaluations()).toEqual([
      `attribution.compute/${fixture.portalId}/definitions-v2`,
      `hygiene.evaluate/${fixture.portalId}/definitions-v2`,
    ]);

    // What the queued job does:
    const summary = await evaluatePortalHygiene(db.pool, fixture.portalId, { now });
    expect(summary).toMatchObject({ definitionsVersion: 2, records: 221 });
    const missingDescription = (await listFindings(db.pool, fixture.portalId, { open: true })).filter(
      (f) => f.code === 'missing_field:description',
    );
    const inScopeDeals = fixture.objects.deals.filter((d) => d.properties.pipeline === 'default').length;
    expect(missingDescription).toHaveLength(inScopeDeals);
  });
});
