-- Up Migration

-- The loop cadence (#9): the weekly hygiene digest, its HubSpot tasks, the monthly KPI snapshot and the
-- decision log. Each recurring run is keyed by its period, so a retried or repeated job finds its own
-- earlier work instead of doing it twice.

-- One digest per portal and ISO week (`2026-W07`), frozen when first built; `body` is the domain's
-- WeeklyDigest (server/domain/metrics/weekly-digest.ts) as JSON, for the admin page.
CREATE TABLE digests (
  portal_id           bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  week                text        NOT NULL CHECK (week ~ '^\d{4}-W\d{2}$'),
  generated_at        timestamptz NOT NULL,
  definitions_version int         NOT NULL,
  body                jsonb       NOT NULL,
  PRIMARY KEY (portal_id, week)
);

-- The digest's HubSpot tasks, one per record owner and week, written with the digest before any call:
--   pending  → planned, never sent;
--   sending  → the create was sent at attempted_at and its answer is not known (a crash, a timeout):
--              a later run looks the task up in HubSpot before sending it again;
--   created  → HubSpot answered with task_id;
--   failed   → HubSpot refused it (error says why); not sent again.
-- `request` is the exact create body, so a resend is the same task.
CREATE TABLE digest_tasks (
  portal_id    bigint      NOT NULL,
  week         text        NOT NULL,
  owner_id     text        NOT NULL,
  status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'created', 'failed')),
  subject      text        NOT NULL,
  findings     int         NOT NULL CHECK (findings > 0),
  request      jsonb       NOT NULL,
  task_id      text,
  error        text,
  attempted_at timestamptz,
  created_at   timestamptz,
  PRIMARY KEY (portal_id, week, owner_id),
  FOREIGN KEY (portal_id, week) REFERENCES digests ON DELETE CASCADE,
  CHECK ((status = 'created') = (task_id IS NOT NULL))
);

-- The KPIs frozen once a month (`2026-02`: taken at the start of February, the state February opened
-- with), for trend charts. `kpis` is the domain's Kpis; `decisions` the decision-log KPIs of the month
-- before.
CREATE TABLE kpi_snapshots (
  portal_id           bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  month               text        NOT NULL CHECK (month ~ '^\d{4}-\d{2}$'),
  taken_at            timestamptz NOT NULL,
  definitions_version int         NOT NULL,
  kpis                jsonb       NOT NULL,
  decisions           jsonb       NOT NULL,
  PRIMARY KEY (portal_id, month)
);

-- The decision log: actions taken on a finding, a metric or the definitions. `source_key` names the
-- run that created an action automatically (the quarterly review reminder: `definitions-review:2026-Q1`),
-- so that run creates it once; actions people create have none.
CREATE TABLE decisions (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id          bigserial,
  topic       text        NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
  subject_kind text       NOT NULL CHECK (subject_kind IN ('finding', 'metric', 'definitions')),
  subject_key text        NOT NULL CHECK (length(subject_key) BETWEEN 1 AND 200),
  owner       text        NOT NULL CHECK (length(owner) BETWEEN 1 AND 320),
  due_on      date        NOT NULL,
  status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
  outcome     text,
  source_key  text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  closed_at   timestamptz,
  CHECK ((status = 'open') = (closed_at IS NULL)),
  PRIMARY KEY (portal_id, id)
);
CREATE UNIQUE INDEX decisions_source ON decisions (portal_id, source_key) WHERE source_key IS NOT NULL;
CREATE INDEX decisions_due ON decisions (portal_id, due_on);
CREATE INDEX decisions_subject ON decisions (portal_id, subject_kind, subject_key);
