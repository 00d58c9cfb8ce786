-- Up Migration

-- Which mirror records changed, in commit order, so hygiene and attribution can re-evaluate only what
-- changed (and what depends on it) instead of the whole portal. Triggers on the mirror tables fill it,
-- so every writer (full and incremental sync, the webhook drain, card writes, the ingest API, privacy
-- deletions) is covered without having to remember to mark anything, and a mark commits or rolls back
-- with the write that caused it.
CREATE TABLE record_changes (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id          bigserial   NOT NULL,
  object_type text        NOT NULL CHECK (object_type IN ('companies', 'contacts', 'deals', 'tickets')),
  object_id   bigint      NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, id)
);

-- How far each consumer has read a portal's changes. A consumer moves its cursor in the same
-- transaction as the results it wrote, so a crash re-reads at most the batch in flight.
CREATE TABLE change_cursors (
  portal_id      bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  consumer       text        NOT NULL CHECK (consumer IN ('hygiene', 'attribution')),
  last_change_id bigint      NOT NULL DEFAULT 0,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, consumer)
);

-- Statement-level triggers with transition tables: one INSERT … SELECT per statement, however many rows
-- a sync page or batch wrote. An UPDATE marks only rows whose stored content really changed, so the
-- incremental sync's deliberate re-reads (its 5-minute margin) don't look like changes.

CREATE FUNCTION mark_records_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_changes (portal_id, object_type, object_id)
  SELECT DISTINCT portal_id, TG_ARGV[0], id FROM new_rows;
  RETURN NULL;
END;
$$;

CREATE FUNCTION mark_records_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_changes (portal_id, object_type, object_id)
  SELECT DISTINCT n.portal_id, TG_ARGV[0], n.id
    FROM new_rows n JOIN old_rows o ON o.portal_id = n.portal_id AND o.id = n.id
   WHERE n.properties IS DISTINCT FROM o.properties
      OR n.archived IS DISTINCT FROM o.archived
      OR n.merged_into_id IS DISTINCT FROM o.merged_into_id;
  RETURN NULL;
END;
$$;

CREATE FUNCTION mark_records_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A whole portal being deleted takes its marks with it (ON DELETE CASCADE); marking is then harmless.
  INSERT INTO record_changes (portal_id, object_type, object_id)
  SELECT DISTINCT o.portal_id, TG_ARGV[0], o.id
    FROM old_rows o WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = o.portal_id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER contacts_inserted AFTER INSERT ON contacts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_inserted('contacts');
CREATE TRIGGER contacts_updated AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_updated('contacts');
CREATE TRIGGER contacts_deleted AFTER DELETE ON contacts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_deleted('contacts');

CREATE TRIGGER companies_inserted AFTER INSERT ON companies REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_inserted('companies');
CREATE TRIGGER companies_updated AFTER UPDATE ON companies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_updated('companies');
CREATE TRIGGER companies_deleted AFTER DELETE ON companies REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_deleted('companies');

CREATE TRIGGER deals_inserted AFTER INSERT ON deals REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_inserted('deals');
CREATE TRIGGER deals_updated AFTER UPDATE ON deals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_updated('deals');
CREATE TRIGGER deals_deleted AFTER DELETE ON deals REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_deleted('deals');

CREATE TRIGGER tickets_inserted AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_inserted('tickets');
CREATE TRIGGER tickets_updated AFTER UPDATE ON tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_updated('tickets');
CREATE TRIGGER tickets_deleted AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_records_deleted('tickets');

-- An association added or removed changes both of its ends (a deal's contacts, a ticket's deal).
CREATE FUNCTION mark_association_ends() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_changes (portal_id, object_type, object_id)
  SELECT DISTINCT a.portal_id, e.object_type, e.object_id
    FROM changed_rows a
   CROSS JOIN LATERAL (VALUES (a.from_type, a.from_id), (a.to_type, a.to_id)) AS e(object_type, object_id)
   WHERE EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = a.portal_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER associations_inserted AFTER INSERT ON associations REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_association_ends();
CREATE TRIGGER associations_deleted AFTER DELETE ON associations REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_association_ends();

-- Stage history and events belong to one record; new or removed rows change that record's inputs
-- (stage integrity, days in stage; its touches).
CREATE FUNCTION mark_owning_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_changes (portal_id, object_type, object_id)
  SELECT DISTINCT r.portal_id, r.object_type, r.object_id
    FROM changed_rows r
   WHERE r.object_type IN ('companies', 'contacts', 'deals', 'tickets')
     AND EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = r.portal_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER stage_events_inserted AFTER INSERT ON stage_events REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_owning_record();
CREATE TRIGGER stage_events_deleted AFTER DELETE ON stage_events REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_owning_record();
CREATE TRIGGER hubspot_events_inserted AFTER INSERT ON hubspot_events REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_owning_record();
CREATE TRIGGER hubspot_events_deleted AFTER DELETE ON hubspot_events REFERENCING OLD TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_owning_record();

-- An ingested touch belongs to the contact it names by id, or to the contacts whose address it names
-- (attribution decides which of them by section 7's matching; this only narrows where to look).
CREATE FUNCTION mark_ingested_touch_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO record_changes (portal_id, object_type, object_id)
  SELECT DISTINCT t.portal_id, 'contacts', t.contact_id FROM new_rows t WHERE t.contact_id IS NOT NULL
  UNION
  SELECT c.portal_id, 'contacts', c.id
    FROM new_rows t JOIN contacts c ON c.portal_id = t.portal_id AND c.email = lower(btrim(t.contact_email))
   WHERE t.contact_email IS NOT NULL;
  RETURN NULL;
END;
$$;
CREATE TRIGGER ingested_touches_inserted AFTER INSERT ON ingested_touches REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION mark_ingested_touch_contacts();
