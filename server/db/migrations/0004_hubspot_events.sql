-- Up Migration

-- HubSpot's events (page views, form submissions, email clicks…) as the events API returned them.
-- Raw on purpose: which channel a touch belongs to and whether it is trackable depend on the
-- definitions (the channel taxonomy), which change; attribution derives touches from these rows
-- under the definitions version it runs with, so a policy change never needs a re-sync.
CREATE TABLE hubspot_events (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id          text        NOT NULL,
  event_type  text        NOT NULL,
  object_type text        NOT NULL,
  object_id   bigint      NOT NULL,
  occurred_at timestamptz NOT NULL,
  properties  jsonb       NOT NULL DEFAULT '{}',
  synced_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, id)
);
CREATE INDEX hubspot_events_object ON hubspot_events (portal_id, object_type, object_id, occurred_at);
