import type pg from 'pg';

/**
 * Puts a fixture's portal straight into the mirror, as a finished sync would leave it, for tests of
 * what reads the mirror (hygiene, attribution) that shouldn't depend on the sync's own tests.
 */
type FixtureObject = {
  id: string;
  createdAt: string;
  updatedAt: string;
  archived?: boolean;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<string, { value: string; timestamp: string; sourceType?: string }[]>;
};
export type MirrorFixture = {
  portalId: number;
  owners: { id: string; email: string; firstName?: string; lastName?: string }[];
  objects: Record<'contacts' | 'companies' | 'deals' | 'tickets', FixtureObject[]>;
  associations: { from: { type: string; id: string }; to: { type: string; id: string } }[];
  events?: {
    id: string;
    eventType: string;
    objectType: string;
    objectId: string;
    occurredAt: string;
    properties: Record<string, string>;
  }[];
  ingest?: { touches: Record<string, unknown>[] };
};

const STAGE_PROPERTIES = new Set(['lifecyclestage', 'dealstage', 'hs_pipeline_stage']);

export async function seedMirror(db: pg.Pool, fixture: MirrorFixture): Promise<void> {
  const portalId = fixture.portalId;
  await db.query(`INSERT INTO portals (portal_id) VALUES ($1) ON CONFLICT DO NOTHING`, [portalId]);
  for (const owner of fixture.owners) {
    await db.query(`INSERT INTO owners (portal_id, id, email, first_name, last_name) VALUES ($1, $2, $3, $4, $5)`, [
      portalId,
      owner.id,
      owner.email,
      owner.firstName ?? null,
      owner.lastName ?? null,
    ]);
  }
  for (const [type, objects] of Object.entries(fixture.objects)) {
    for (const o of objects) {
      // The table name comes from the fixture format's four fixed keys.
      await db.query(
        `INSERT INTO ${type} (portal_id, id, properties, created_at, updated_at, archived) VALUES ($1, $2, $3, $4, $5, $6)`,
        [portalId, o.id, o.properties, o.createdAt, o.updatedAt, o.archived ?? false],
      );
      for (const [property, entries] of Object.entries(o.propertiesWithHistory ?? {})) {
        if (!STAGE_PROPERTIES.has(property)) continue;
        for (const entry of entries) {
          await db.query(
            `INSERT INTO stage_events (portal_id, object_type, object_id, property, value, occurred_at, source_type)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
            [portalId, type, o.id, property, entry.value, entry.timestamp, entry.sourceType ?? null],
          );
        }
      }
    }
  }
  for (const e of fixture.events ?? []) {
    await db.query(
      `INSERT INTO hubspot_events (portal_id, id, event_type, object_type, object_id, occurred_at, properties)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [portalId, e.id, e.eventType, e.objectType, e.objectId, e.occurredAt, e.properties],
    );
  }
  // The demo sends ingest touch i as `ingest-<i>`; emails are stored trimmed and lower-cased, as the API does.
  for (const [i, t] of (fixture.ingest?.touches ?? []).entries()) {
    const email = typeof t.contactEmail === 'string' ? t.contactEmail.trim().toLowerCase() : null;
    await db.query(
      `INSERT INTO ingested_touches (portal_id, id, occurred_at, channel, campaign_id, offer_id, content_id, contact_id, contact_email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        portalId,
        `ingest-${i}`,
        t.occurredAt,
        t.channel,
        t.campaignId ?? null,
        t.offerId ?? null,
        t.contentId ?? null,
        t.contactId ?? null,
        email,
      ],
    );
  }
  for (const { from, to } of fixture.associations) {
    const [a, b] = from.type < to.type ? [from, to] : [to, from];
    await db.query(
      `INSERT INTO associations (portal_id, from_type, from_id, to_type, to_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [portalId, a.type, a.id, b.type, b.id],
    );
  }
}
