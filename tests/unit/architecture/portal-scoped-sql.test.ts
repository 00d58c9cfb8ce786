import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Every query of a repository names the portal it works on. A static check over the SQL in
 * server/db/repositories: each statement touching a table keyed by portal_id must mention portal_id.
 * (Cross-portal work, like the queue's reconcile over all schedules, lives outside repositories.)
 */
const PORTAL_TABLES =
  /\b(?:FROM|INTO|UPDATE|JOIN)\s+(portals|oauth_tokens|sync_runs|sync_checkpoints|contacts|companies|deals|tickets|associations|owners|pipelines|stage_events|touches|ad_spend|definitions_versions|findings|attribution_credits|writeback_ledger|webhook_inbox|webhook_deliveries|api_keys|ingested_touches|digests|digest_tasks|kpi_snapshots|decisions)\b/i;
const DIR = 'server/db/repositories';

function statements(source: string): string[] {
  return [...source.matchAll(/`([^`]*)`/g)]
    .map((m) => m[1]!)
    .filter((sql) => /\b(SELECT|INSERT|UPDATE|DELETE)\b/i.test(sql));
}

describe('repository SQL', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

  it('exists', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s scopes every statement to a portal', (file) => {
    for (const sql of statements(readFileSync(`${DIR}/${file}`, 'utf8'))) {
      // A statement may cross portals only with a stated reason, in a comment reviewers will see.
      if (PORTAL_TABLES.test(sql) && !/\/\* cross-portal: \S/.test(sql)) expect(sql, sql).toMatch(/portal_id/);
    }
  });

  it('accepts a cross-portal statement only with a stated reason', () => {
    const unexplained = statements('const q = `SELECT portal_id FROM api_keys WHERE id = $1 /* cross-portal */`;');
    const explained = statements(
      'const q = `/* cross-portal: keys name their portal */ SELECT 1 FROM api_keys WHERE id = $1`;',
    );
    expect(unexplained.every((sql) => /\/\* cross-portal: \S/.test(sql))).toBe(false);
    expect(explained.every((sql) => /\/\* cross-portal: \S/.test(sql))).toBe(true);
  });

  it('catches an unscoped statement', () => {
    const bad = statements('const q = `SELECT * FROM findings WHERE code = $1`;');
    expect(bad.some((sql) => PORTAL_TABLES.test(sql) && !/portal_id/.test(sql))).toBe(true);
  });
});
