-- Up Migration
-- Closed Loop schema, version 1. Migrations are append-only: never edit a file that has landed,
-- add the next number instead. Every table holding portal data starts with portal_id, so one
-- portal's rows can be found (and deleted) through its key.

-- Installs -------------------------------------------------------------------------------------

CREATE TABLE portals (
  portal_id            bigint PRIMARY KEY,
  status               text        NOT NULL DEFAULT 'installed'
                       CHECK (status IN ('installed', 'needs_reauth', 'uninstalled')),
  hub_domain           text,
  scopes               text[]      NOT NULL DEFAULT '{}',
  installed_by_user_id bigint,
  installed_by_email   text,
  installed_at         timestamptz NOT NULL DEFAULT now(),
  status_changed_at    timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);

-- Tokens are AES-256-GCM ciphertexts (iv || tag || ciphertext); key_id names the key that sealed
-- them so keys can rotate without a flag day.
CREATE TABLE oauth_tokens (
  portal_id         bigint PRIMARY KEY REFERENCES portals ON DELETE CASCADE,
  access_token_enc  bytea       NOT NULL,
  refresh_token_enc bytea       NOT NULL,
  key_id            text        NOT NULL,
  expires_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Sync bookkeeping -----------------------------------------------------------------------------

CREATE TABLE sync_runs (
  id            bigserial PRIMARY KEY,
  portal_id     bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  kind          text        NOT NULL CHECK (kind IN ('full', 'incremental', 'webhook')),
  status        text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  records       bigint      NOT NULL DEFAULT 0,
  api_calls     bigint      NOT NULL DEFAULT 0,
  rate_limited  bigint      NOT NULL DEFAULT 0,
  errors        bigint      NOT NULL DEFAULT 0,
  error_message text,
  progress      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX sync_runs_portal_started ON sync_runs (portal_id, started_at DESC);

-- One row per (portal, stream): the cursor to resume from, written in the same transaction as the
-- page it follows.
CREATE TABLE sync_checkpoints (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  stream      text        NOT NULL,
  cursor      jsonb       NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, stream)
);

-- The CRM mirror -------------------------------------------------------------------------------
-- properties holds HubSpot's strings as HubSpot sent them; the generated columns are the ones
-- queries filter and join on, so they can never disagree with the properties.

CREATE TABLE contacts (
  portal_id      bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id             bigint      NOT NULL,
  properties     jsonb       NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  archived       boolean     NOT NULL DEFAULT false,
  merged_into_id bigint,
  email          text GENERATED ALWAYS AS (lower(btrim(properties ->> 'email'))) STORED,
  lifecyclestage text GENERATED ALWAYS AS (properties ->> 'lifecyclestage') STORED,
  owner_id       text GENERATED ALWAYS AS (properties ->> 'hubspot_owner_id') STORED,
  PRIMARY KEY (portal_id, id)
);
CREATE INDEX contacts_email ON contacts (portal_id, email) WHERE email IS NOT NULL AND email <> '';

CREATE TABLE companies (
  portal_id      bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id             bigint      NOT NULL,
  properties     jsonb       NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  archived       boolean     NOT NULL DEFAULT false,
  merged_into_id bigint,
  domain         text GENERATED ALWAYS AS (properties ->> 'domain') STORED,
  owner_id       text GENERATED ALWAYS AS (properties ->> 'hubspot_owner_id') STORED,
  PRIMARY KEY (portal_id, id)
);

CREATE TABLE deals (
  portal_id      bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id             bigint      NOT NULL,
  properties     jsonb       NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  archived       boolean     NOT NULL DEFAULT false,
  merged_into_id bigint,
  pipeline       text GENERATED ALWAYS AS (properties ->> 'pipeline') STORED,
  dealstage      text GENERATED ALWAYS AS (properties ->> 'dealstage') STORED,
  owner_id       text GENERATED ALWAYS AS (properties ->> 'hubspot_owner_id') STORED,
  PRIMARY KEY (portal_id, id)
);

CREATE TABLE tickets (
  portal_id         bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id                bigint      NOT NULL,
  properties        jsonb       NOT NULL DEFAULT '{}',
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  archived          boolean     NOT NULL DEFAULT false,
  merged_into_id    bigint,
  pipeline          text GENERATED ALWAYS AS (properties ->> 'hs_pipeline') STORED,
  hs_pipeline_stage text GENERATED ALWAYS AS (properties ->> 'hs_pipeline_stage') STORED,
  owner_id          text GENERATED ALWAYS AS (properties ->> 'hubspot_owner_id') STORED,
  PRIMARY KEY (portal_id, id)
);

-- HubSpot answers associations in both directions; the mirror keeps each pair once, from the
-- object type that sorts first ('companies' < 'contacts' < 'deals' < 'tickets'), so a pair can't be
-- stored twice and a lookup in either direction hits an index.
CREATE TABLE associations (
  portal_id bigint NOT NULL REFERENCES portals ON DELETE CASCADE,
  from_type text   NOT NULL CHECK (from_type IN ('companies', 'contacts', 'deals', 'tickets')),
  from_id   bigint NOT NULL,
  to_type   text   NOT NULL CHECK (to_type IN ('companies', 'contacts', 'deals', 'tickets')),
  to_id     bigint NOT NULL,
  CHECK (from_type < to_type),
  PRIMARY KEY (portal_id, from_type, from_id, to_type, to_id)
);
CREATE INDEX associations_reverse ON associations (portal_id, to_type, to_id, from_type);

CREATE TABLE owners (
  portal_id  bigint NOT NULL REFERENCES portals ON DELETE CASCADE,
  id         text   NOT NULL,
  email      text,
  first_name text,
  last_name  text,
  archived   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (portal_id, id)
);

CREATE TABLE pipelines (
  portal_id     bigint NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type   text   NOT NULL CHECK (object_type IN ('deals', 'tickets')),
  id            text   NOT NULL,
  label         text   NOT NULL,
  display_order int    NOT NULL DEFAULT 0,
  stages        jsonb  NOT NULL DEFAULT '[]',
  PRIMARY KEY (portal_id, object_type, id)
);

-- One row per entry of a stage property's history (lifecyclestage, dealstage, hs_pipeline_stage),
-- with who or what made the change as HubSpot reports it.
CREATE TABLE stage_events (
  portal_id          bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type        text        NOT NULL CHECK (object_type IN ('contacts', 'deals', 'tickets')),
  object_id          bigint      NOT NULL,
  property           text        NOT NULL,
  value              text        NOT NULL,
  occurred_at        timestamptz NOT NULL,
  source_type        text,
  source_id          text,
  source_label       text,
  updated_by_user_id bigint,
  PRIMARY KEY (portal_id, object_type, object_id, property, occurred_at, value)
);

-- Attribution inputs ---------------------------------------------------------------------------

CREATE TABLE touches (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id          text        NOT NULL,
  source      text        NOT NULL CHECK (source IN ('hubspot_event', 'ingest', 'derived')),
  contact_id  bigint      NOT NULL,
  occurred_at timestamptz NOT NULL,
  event_type  text,
  channel     text        NOT NULL,
  trackable   boolean     NOT NULL,
  campaign_id text,
  offer_id    text,
  content_id  text,
  raw         jsonb       NOT NULL DEFAULT '{}',
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, id)
);
CREATE INDEX touches_contact ON touches (portal_id, contact_id, occurred_at);

CREATE TABLE ad_spend (
  portal_id   bigint NOT NULL REFERENCES portals ON DELETE CASCADE,
  month       date   NOT NULL CHECK (extract(day FROM month) = 1),
  channel     text   NOT NULL,
  campaign_id text   NOT NULL DEFAULT '',
  cents       bigint NOT NULL CHECK (cents >= 0),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, month, channel, campaign_id)
);

-- Definitions (the policy) ---------------------------------------------------------------------
-- Versions are immutable rows; the change log is the author, reason and diff of each version.

CREATE TABLE definitions_versions (
  portal_id  bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  version    int         NOT NULL CHECK (version >= 1),
  document   jsonb       NOT NULL,
  author     text        NOT NULL,
  reason     text        NOT NULL,
  diff       jsonb       NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, version)
);

-- Findings (the issue log) ---------------------------------------------------------------------
-- A finding that disappears is resolved (resolved_at set), never deleted; it reopens if it returns.

CREATE TABLE findings (
  portal_id           bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type         text        NOT NULL,
  object_id           bigint      NOT NULL,
  code                text        NOT NULL,
  field               text,
  severity            text        NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  owner_email         text,
  proposed_fix        text        NOT NULL,
  definitions_version int         NOT NULL,
  first_seen_at       timestamptz NOT NULL,
  last_seen_at        timestamptz NOT NULL,
  resolved_at         timestamptz,
  PRIMARY KEY (portal_id, object_type, object_id, code)
);
CREATE INDEX findings_open ON findings (portal_id, code) WHERE resolved_at IS NULL;

-- Attribution credits --------------------------------------------------------------------------
-- touch_id '' is the `unattributed` row of a deal with an amount but no touch.

CREATE TABLE attribution_credits (
  portal_id           bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  deal_id             bigint      NOT NULL,
  model               text        NOT NULL,
  kind                text        NOT NULL CHECK (kind IN ('pipeline', 'revenue')),
  touch_id            text        NOT NULL,
  channel             text        NOT NULL,
  campaign_id         text,
  cents               bigint      NOT NULL CHECK (cents >= 0),
  definitions_version int         NOT NULL,
  computed_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, deal_id, model, kind, touch_id)
);

-- Write-back ledger ----------------------------------------------------------------------------
-- What the app last got HubSpot to accept, per property: the next write happens only when the
-- computed value's hash differs.

CREATE TABLE writeback_ledger (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type text        NOT NULL,
  object_id   bigint      NOT NULL,
  property    text        NOT NULL,
  value_hash  text        NOT NULL,
  written_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, object_type, object_id, property)
);

-- Webhook inbox --------------------------------------------------------------------------------
-- Every event HubSpot delivered, deduplicated by its event id, drained by a worker.

CREATE TABLE webhook_inbox (
  portal_id    bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  event_id     text        NOT NULL,
  subscription text        NOT NULL,
  object_id    bigint,
  occurred_at  timestamptz NOT NULL,
  payload      jsonb       NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  PRIMARY KEY (portal_id, event_id)
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox (portal_id, received_at) WHERE processed_at IS NULL;

-- Durable job intents --------------------------------------------------------------------------
-- Redis may lose its queues (these machines run it without persistence). Each job is first written
-- here; workers mark it finished here; on start (and after Redis comes back) every unfinished
-- intent is queued again under the same job id, which BullMQ deduplicates.

CREATE TABLE job_intents (
  id          text        PRIMARY KEY,
  portal_id   bigint      REFERENCES portals ON DELETE CASCADE,
  queue       text        NOT NULL,
  name        text        NOT NULL,
  payload     jsonb       NOT NULL,
  status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed')),
  attempts    int         NOT NULL DEFAULT 0,
  last_error  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX job_intents_pending ON job_intents (created_at) WHERE status = 'pending';

-- Schedules are data too, so they outlive Redis: one row per (portal, schedule).
CREATE TABLE job_schedules (
  portal_id  bigint NOT NULL REFERENCES portals ON DELETE CASCADE,
  key        text   NOT NULL,
  queue      text   NOT NULL,
  name       text   NOT NULL,
  every_ms   bigint,
  cron       text,
  payload    jsonb  NOT NULL DEFAULT '{}',
  CHECK ((every_ms IS NULL) <> (cron IS NULL)),
  PRIMARY KEY (portal_id, key)
);
