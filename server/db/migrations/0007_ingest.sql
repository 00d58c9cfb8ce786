-- Up Migration

-- Keys for the ingest API, one portal each. Only a SHA-256 of the secret is kept: a leaked table
-- can't be used to call the API. `id` is the public part of the key (clk_<id>_<secret>).
CREATE TABLE api_keys (
  portal_id    bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id           text        NOT NULL,
  secret_hash  bytea       NOT NULL,
  label        text        NOT NULL,
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  PRIMARY KEY (portal_id, id)
);
CREATE UNIQUE INDEX api_keys_id ON api_keys (id);

-- Offline touches as the client sent them (events, outbound, partner referrals). They become
-- attribution touches when attribution matches them to a contact (by id, or by email to the survivor),
-- which may be long after they arrive; until then they wait here. The client's id makes a replay a no-op.
CREATE TABLE ingested_touches (
  portal_id     bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id            text        NOT NULL,
  occurred_at   timestamptz NOT NULL,
  channel       text        NOT NULL,
  campaign_id   text,
  offer_id      text,
  content_id    text,
  contact_id    bigint,
  contact_email text,
  received_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (contact_id IS NOT NULL OR contact_email IS NOT NULL),
  PRIMARY KEY (portal_id, id)
);
