-- Up Migration

-- The reporting model: a small star schema rebuilt from the mirror, the issue log and attribution after
-- each loop (`reporting.refresh`). Facts: stage entries, delivery outcomes per ticket, and the existing
-- touches, attribution_credits and ad_spend tables; dimensions: the in-scope records with the attributes
-- reports filter on (owner, lead channel, ICP tier, product line), channels and campaigns by value, and
-- dates (`dim_date`). Stage mapping and scope are the hygiene engine's: rows hold its view, so reports
-- never re-derive a stage from raw HubSpot values.

CREATE TABLE report_records (
  portal_id    bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type  text        NOT NULL CHECK (object_type IN ('contacts', 'deals', 'tickets')),
  object_id    bigint      NOT NULL,
  stage        text        NOT NULL,
  owner_id     text,
  lead_channel text,
  icp_tier     text,
  product_line text,
  amount_cents bigint,
  created_at   timestamptz NOT NULL,
  closed_at    timestamptz,
  PRIMARY KEY (portal_id, object_type, object_id)
);

CREATE TABLE report_stage_entries (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type text        NOT NULL CHECK (object_type IN ('contacts', 'deals', 'tickets')),
  object_id   bigint      NOT NULL,
  stage       text        NOT NULL,
  -- Position in the lifecycle's main path (section 1's order); closed_lost has its own branch.
  stage_index int         NOT NULL,
  entered_at  timestamptz NOT NULL,
  PRIMARY KEY (portal_id, object_type, object_id, stage)
);

CREATE TABLE report_delivery (
  portal_id             bigint  NOT NULL REFERENCES portals ON DELETE CASCADE,
  ticket_id             bigint  NOT NULL,
  deal_id               bigint,
  lead_channel          text,
  onboarding_days       numeric,
  change_request_reason text,
  sla_breached          boolean NOT NULL,
  PRIMARY KEY (portal_id, ticket_id)
);

CREATE TABLE report_refreshes (
  portal_id           bigint      NOT NULL PRIMARY KEY REFERENCES portals ON DELETE CASCADE,
  refreshed_at        timestamptz NOT NULL,
  definitions_version int         NOT NULL,
  records             int         NOT NULL
);

CREATE VIEW dim_date AS
  SELECT d::date AS day, date_trunc('month', d)::date AS month, date_trunc('quarter', d)::date AS quarter,
         extract(isodow FROM d)::int AS weekday
    FROM generate_series('2000-01-01'::date, '2040-12-31'::date, interval '1 day') AS d;
