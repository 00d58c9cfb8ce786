-- Up Migration

-- Webhook intake at HubSpot's burst rate (issue #4: 500 deliveries of 100 events a second, answered
-- with p99 ≤ 20 ms). Storing every event as its own inbox row at intake cost Postgres about 1.4–2.3 ms
-- of CPU per delivery (100 heap rows, 100 primary-key entries for deduplication, 100 pending-index
-- entries, splitting the body), most of the CPU a delivery costs. The intake now stores a delivery
-- as one row: the portal's events exactly as HubSpot sent them. The drain moves a delivery's events
-- into webhook_inbox (where the primary key deduplicates them by event id) and deletes the delivery in
-- one transaction, so the per-event work happens once, off HubSpot's clock, in bulk.
--
-- One row per portal of a delivery (HubSpot may mix portals in one request), so a portal's deletion or
-- drain never touches another portal's events. No foreign key to portals, as for webhook_inbox since
-- 0010: the storing statement takes the same FOR KEY SHARE lock on the portal row, and
-- delete_portal_data (which locks that row first) deletes this table's rows like every table keyed by
-- portal_id.
CREATE TABLE webhook_deliveries (
  portal_id   bigint      NOT NULL,
  id          bigint      GENERATED ALWAYS AS IDENTITY,
  -- A JSON array, as text: Node already parsed and validated it, so Postgres need not parse it again
  -- until the drain splits it. lz4: a 100-event body is ~25 kB, and lz4 compresses it several times
  -- faster than the default pglz.
  events      text        COMPRESSION lz4 NOT NULL,
  event_count integer     NOT NULL CHECK (event_count > 0),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, id)
);
