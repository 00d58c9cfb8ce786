import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../../server/demo/run-demo.ts';
import { amountInCents } from '../../../server/domain/attribution/index.ts';
import { dropTestDatabase, databaseUrl, TEST_SERVER_URL } from '../../helpers/database.ts';
import { TEST_REDIS_URL } from '../../helpers/redis.ts';

type Finding = { objectType: string; objectId: string; code: string; field?: string };
type Credit = { dealId: string; model: string; kind: string; cents: number };
type Portal = { objects: Record<string, { id: string; properties: Record<string, string | null> }[]> };

const created: { dir: string; database: string }[] = [];
afterAll(async () => {
  for (const { dir, database } of created) {
    await rm(dir, { recursive: true, force: true });
    await dropTestDatabase(databaseUrl(database));
  }
});

async function demoOnce(): Promise<{ dir: string; ok: boolean; started: number }> {
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'closed-loop-demo-'));
  const suffix = randomBytes(4).toString('hex');
  created.push({ dir, database: `closed_loop_demo_test_${suffix}` });
  const outcome = await runDemo({
    fixturePath: 'tests/fixtures/demo-portal.json',
    outDir: dir,
    databaseName: `closed_loop_demo_test_${suffix}`,
    redisPrefix: `test:demo:${suffix}`,
    env: { DATABASE_URL: TEST_SERVER_URL, REDIS_URL: TEST_REDIS_URL, LOG_LEVEL: 'silent' },
    print: () => undefined,
  });
  return { dir, ok: outcome.ok, started };
}

/** The file with every timestamp of the run itself (at or after it started) replaced: the contract allows those to differ. */
function withoutRunTimes(text: string, started: number): string {
  return text.replace(/"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)"/g, (whole, iso: string) =>
    Date.parse(iso) >= started - 1_000 ? '"<time of the run>"' : whole,
  );
}

const read = (dir: string, file: string) => readFile(path.join(dir, file), 'utf8');
const lines = <T>(text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
const TYPES: Record<string, string> = { contact: 'contacts', company: 'companies', deal: 'deals', ticket: 'tickets' };

describe('npm run demo', () => {
  it('runs every stage and writes outputs that agree with each other and with policy section 8; a second run gives the same files', async () => {
    const first = await demoOnce();
    expect(first.ok).toBe(true);
    const portal = JSON.parse(await read(first.dir, 'portal.json')) as Portal;
    const findings = lines<Finding>(await read(first.dir, 'findings.jsonl'));
    const credits = lines<Credit>(await read(first.dir, 'credits.jsonl'));

    // Written-back compliance agrees with the open findings (section 8's rules for status and missing fields).
    let checked = 0;
    for (const [type, objects] of Object.entries(portal.objects)) {
      for (const record of objects) {
        const status = record.properties.clr_compliance_status;
        if (!status) continue;
        const codes = findings
          .filter((f) => TYPES[f.objectType] === type && f.objectId === record.id)
          .map((f) => f.code);
        const kind = (code: string) => code.split(':')[0]!;
        const expected = codes.some((c) => ['invalid_value', 'join_key_mismatch', 'stage_gap'].includes(kind(c)))
          ? 'invalid'
          : codes.some((c) => ['missing_field', 'missing_join_key', 'checklist_incomplete'].includes(kind(c)))
            ? 'incomplete'
            : 'compliant';
        expect(status, `${type} ${record.id}`).toBe(expected);
        const missing = codes
          .filter((c) => c.startsWith('missing_field:'))
          .map((c) => c.slice('missing_field:'.length))
          .sort()
          .join(';');
        if (missing) expect(record.properties.clr_missing_fields, `${type} ${record.id}`).toBe(missing);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);

    // Every deal's credits sum to its amount, for every model and kind.
    const sums = new Map<string, number>();
    for (const c of credits)
      sums.set(`${c.dealId}|${c.model}|${c.kind}`, (sums.get(`${c.dealId}|${c.model}|${c.kind}`) ?? 0) + c.cents);
    const deals = new Map(portal.objects.deals!.map((d) => [d.id, d]));
    for (const [key, cents] of sums) {
      const [dealId] = key.split('|');
      expect(cents, key).toBe(amountInCents(deals.get(dealId!)!.properties.amount));
    }
    expect(sums.size).toBeGreaterThan(9 * 20);

    const report = JSON.parse(await read(first.dir, 'report.json')) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      [
        'attribution',
        'definitionsVersion',
        'findings',
        'funnel',
        'generatedAt',
        'kpis',
        'sync',
        'velocity',
        'writeBack',
      ].sort(),
    );

    const second = await demoOnce();
    expect(second.ok).toBe(true);
    for (const file of ['findings.jsonl', 'credits.jsonl']) {
      expect(await read(second.dir, file), file).toBe(await read(first.dir, file));
    }
    expect(withoutRunTimes(await read(second.dir, 'portal.json'), second.started)).toBe(
      withoutRunTimes(await read(first.dir, 'portal.json'), first.started),
    );
    const withoutTime = (text: string) => ({ ...(JSON.parse(text) as object), generatedAt: undefined });
    expect(withoutTime(await read(second.dir, 'report.json'))).toEqual(
      withoutTime(await read(first.dir, 'report.json')),
    );
  });
});
