-- Up Migration

-- The reporting model, refreshed incrementally (#9). Migration 0013's tables were rebuilt whole after
-- every loop; from here `reporting.refresh` re-derives only the records that changed since it last ran
-- (server/reporting/README.md), rebuilding the whole portal on its first run and after a definitions
-- change. It also keeps what the maturity KPIs need, so they are counted from the model instead of
-- re-reading the mirror on every page load.

-- A deal's customer (its associated company with the lowest id): new customers won, for CAC payback.
ALTER TABLE report_records ADD COLUMN company_id bigint;

-- Every live record of the four types, in the engine's scope or not (companies too): what the KPIs
-- count besides the open findings.
CREATE TABLE report_record_scope (
  portal_id       bigint  NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type     text    NOT NULL CHECK (object_type IN ('companies', 'contacts', 'deals', 'tickets')),
  object_id       bigint  NOT NULL,
  in_scope        boolean NOT NULL,
  -- It has a value the duplicate checks compare (a contact's email, a company's domain).
  duplicate_keyed boolean NOT NULL,
  owner_id        text,
  PRIMARY KEY (portal_id, object_type, object_id)
);

-- The SLA clocks of the records in scope: one row per SLA that applies and has started. `breach_at` is
-- the instant from which it counts as breached: NULL never (it ended within its limit), '-infinity'
-- always (it ended past it), otherwise start + limit (still open). "Breached at t" is breach_at < t,
-- so compliance can be counted at any instant without re-reading records (domain/metrics/sla-clocks.ts).
CREATE TABLE report_sla_clocks (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type text        NOT NULL CHECK (object_type IN ('contacts', 'deals', 'tickets')),
  object_id   bigint      NOT NULL,
  sla         text        NOT NULL,
  started_at  timestamptz NOT NULL,
  breach_at   timestamptz,
  PRIMARY KEY (portal_id, object_type, object_id, sla)
);
-- Open clocks by the instant they breach: the refresh re-derives the tickets whose clock crossed the
-- time between two refreshes (their stored `sla_breached` changes with the clock alone).
CREATE INDEX report_sla_clocks_due ON report_sla_clocks (portal_id, breach_at)
  WHERE breach_at IS NOT NULL AND breach_at > '-infinity';

-- The records the next refresh must re-derive. Filled by triggers, like record_changes (0009), so no
-- writer has to remember it: every change the mirror's change log records, and every change of
-- attribution's stored channels (a deal's lead channel moves when one of its contacts gets a touch,
-- though the deal itself did not change). The refresh takes and deletes the marks in its transaction,
-- before reading the records, so a mark made meanwhile survives for the next one. It keeps its own
-- set rather than a cursor in change_cursors: the change log is pruned once hygiene and attribution
-- have read it, and the refresh runs after them. At most one row per record.
--
-- Only portals with a report_refreshes row are marked: before it exists the first refresh reads the
-- whole portal anyway, so the initial full sync (the bulk of all writes) pays nothing. The refresh
-- commits that row before it reads anything (server/reporting/refresh-reporting.ts), so every write
-- after that point is marked.
--
-- Append-only, like record_changes: a mark is never deduplicated on insert (the refresh takes them all
-- and dedupes), so two writers marking the same records in different orders never wait on each other's
-- uncommitted keys (with a unique key they could deadlock: a sync page and a webhook drain at once).
CREATE TABLE report_pending (
  portal_id   bigint    NOT NULL REFERENCES portals ON DELETE CASCADE,
  id          bigserial NOT NULL,
  object_type text      NOT NULL CHECK (object_type IN ('companies', 'contacts', 'deals', 'tickets')),
  object_id   bigint    NOT NULL,
  PRIMARY KEY (portal_id, id)
);

CREATE FUNCTION mark_report_pending_from_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_pending (portal_id, object_type, object_id)
  SELECT DISTINCT n.portal_id, n.object_type, n.object_id FROM new_rows n
   WHERE EXISTS (SELECT 1 FROM report_refreshes r WHERE r.portal_id = n.portal_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER record_changes_report_pending AFTER INSERT ON record_changes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_report_pending_from_changes();

-- Attribution's values (source 'attribution'): only rows whose values really changed are marked, so a
-- recomputation that lands on the same channels costs the next refresh nothing.
CREATE FUNCTION mark_report_pending_inserted_channels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_pending (portal_id, object_type, object_id)
  SELECT DISTINCT n.portal_id, n.object_type, n.object_id FROM new_rows n
   WHERE n.source = 'attribution' AND EXISTS (SELECT 1 FROM report_refreshes r WHERE r.portal_id = n.portal_id);
  RETURN NULL;
END;
$$;
CREATE FUNCTION mark_report_pending_updated_channels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_pending (portal_id, object_type, object_id)
  SELECT DISTINCT n.portal_id, n.object_type, n.object_id
    FROM new_rows n JOIN old_rows o
      ON o.portal_id = n.portal_id AND o.object_type = n.object_type AND o.object_id = n.object_id AND o.source = n.source
   WHERE n.source = 'attribution' AND n.properties IS DISTINCT FROM o.properties
     AND EXISTS (SELECT 1 FROM report_refreshes r WHERE r.portal_id = n.portal_id);
  RETURN NULL;
END;
$$;
CREATE FUNCTION mark_report_pending_deleted_channels() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A portal being deleted loses its report_refreshes row with it (cascade from portals), so nothing is
  -- marked for a portal that is gone.
  INSERT INTO report_pending (portal_id, object_type, object_id)
  SELECT DISTINCT o.portal_id, o.object_type, o.object_id FROM old_rows o
   WHERE o.source = 'attribution' AND EXISTS (SELECT 1 FROM report_refreshes r WHERE r.portal_id = o.portal_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER computed_properties_report_inserted AFTER INSERT ON computed_properties
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_report_pending_inserted_channels();
CREATE TRIGGER computed_properties_report_updated AFTER UPDATE ON computed_properties
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_report_pending_updated_channels();
CREATE TRIGGER computed_properties_report_deleted AFTER DELETE ON computed_properties
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_report_pending_deleted_channels();

-- What the last refresh was (full or incremental, and when the last full one ran), and the touch
-- counts the trackable-touch KPI reads (counted once per refresh, not once per page load).
ALTER TABLE report_refreshes
  ADD COLUMN kind                text        NOT NULL DEFAULT 'full' CHECK (kind IN ('full', 'incremental')),
  ADD COLUMN full_refreshed_at   timestamptz,
  ADD COLUMN rederived           int         NOT NULL DEFAULT 0,
  ADD COLUMN touches             int         NOT NULL DEFAULT 0,
  ADD COLUMN trackable_touches   int         NOT NULL DEFAULT 0;
