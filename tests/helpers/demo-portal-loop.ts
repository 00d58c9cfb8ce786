import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { attributePortal } from '../../server/attribution/attribute-portal.ts';
import { ensureFirstDefinitions } from '../../server/db/repositories/definitions.ts';
import { DEFAULT_DEFINITIONS } from '../../server/domain/policy/default-policy.ts';
import { evaluatePortalHygiene } from '../../server/hygiene/evaluate-portal.ts';
import { refreshReporting } from '../../server/reporting/refresh-reporting.ts';
import { seedMirror, type MirrorFixture } from './seed-mirror.ts';

/** The demo portal's fixture, with the parts the loop reads beyond the mirror: its time and its ad spend. */
export type DemoFixture = MirrorFixture & {
  now: string;
  ingest: { spend: { month: string; channel: string; campaignId?: string; cents: number }[] };
};

export const demoFixture = JSON.parse(readFileSync('tests/fixtures/demo-portal.json', 'utf8')) as DemoFixture;

/** The demo portal in the mirror, with its ad spend and the default definitions as version 1. */
export async function seedDemoPortal(db: pg.Pool): Promise<void> {
  await seedMirror(db, demoFixture);
  for (const s of demoFixture.ingest.spend) {
    await db.query(`INSERT INTO ad_spend (portal_id, month, channel, campaign_id, cents) VALUES ($1, $2, $3, $4, $5)`, [
      demoFixture.portalId,
      `${s.month}-01`,
      s.channel,
      s.campaignId ?? '',
      s.cents,
    ]);
  }
  await ensureFirstDefinitions(db, demoFixture.portalId, DEFAULT_DEFINITIONS);
}

/** One turn of the loop on the seeded demo portal at the fixture's time: hygiene, attribution, reporting. */
export async function runDemoLoop(db: pg.Pool): Promise<void> {
  const now = new Date(demoFixture.now);
  await evaluatePortalHygiene(db, demoFixture.portalId, { now });
  await attributePortal(db, demoFixture.portalId, { now });
  await refreshReporting(db, demoFixture.portalId, { now });
}
