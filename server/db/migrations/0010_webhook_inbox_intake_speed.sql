-- Up Migration

-- Webhook intake speed (issue #4: 500 deliveries of 100 events a second). The foreign key from
-- webhook_inbox to portals cost one referential check per event (100 a delivery, about a quarter of
-- Postgres's time per delivery); the intake now checks the portal once per delivery instead, taking
-- the same FOR KEY SHARE lock on the portals row that the foreign key took, in the statement that
-- inserts the events (server/db/repositories/webhook-inbox.ts).
ALTER TABLE webhook_inbox DROP CONSTRAINT webhook_inbox_portal_id_fkey;

-- The payload is kept as the text HubSpot sent (json), not converted to jsonb: storing jsonb was about a
-- fifth of Postgres's time per delivery, nothing queries inside payloads (the drain reads them whole),
-- and the inbox is then byte for byte what HubSpot sent (any valid JSON is storable, \u0000 included).
ALTER TABLE webhook_inbox ALTER COLUMN payload TYPE json USING payload::json;

-- Without the cascade, deleting a portal must not race a delivery: it now locks the portal row first,
-- so it waits for every delivery in flight (they hold FOR KEY SHARE on it) and a later delivery waits
-- for it and then finds no portal. Every child table is then deleted with no uncommitted inbox row
-- left to appear after. Otherwise the same function as in 0002.
CREATE OR REPLACE FUNCTION delete_portal_data(p_portal_id bigint, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  t      record;
  n      bigint;
  counts jsonb := '{}';
BEGIN
  PERFORM 1 FROM portals WHERE portal_id = p_portal_id FOR UPDATE;
  FOR t IN
    SELECT c.table_name
      FROM information_schema.columns c
      JOIN information_schema.tables tb
        ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema()
       AND c.column_name = 'portal_id'
       AND c.table_name NOT IN ('portals', 'deletion_audit')
     ORDER BY c.table_name
  LOOP
    EXECUTE format('DELETE FROM %I WHERE portal_id = $1', t.table_name) USING p_portal_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN counts := counts || jsonb_build_object(t.table_name, n); END IF;
  END LOOP;
  DELETE FROM portals WHERE portal_id = p_portal_id;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n > 0 THEN counts := counts || jsonb_build_object('portals', n); END IF;
  INSERT INTO deletion_audit (portal_id, scope, reason, row_counts) VALUES (p_portal_id, 'portal', p_reason, counts);
  RETURN counts;
END;
$$;
