-- Up Migration

-- What the app computed for each record, per producer (hygiene: compliance; attribution: channels),
-- in HubSpot's value formats. Write-back compares these with the ledger and writes only what changed.
CREATE TABLE computed_properties (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type text        NOT NULL CHECK (object_type IN ('contacts', 'companies', 'deals', 'tickets')),
  object_id   bigint      NOT NULL,
  source      text        NOT NULL CHECK (source IN ('hygiene', 'attribution')),
  properties  jsonb       NOT NULL,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (portal_id, object_type, object_id, source)
);
