-- Up Migration

-- What was deleted for whom and when. Not portal data: it outlives the portal on purpose, so it has
-- no foreign key to portals and is the one table delete_portal_data leaves alone.
CREATE TABLE deletion_audit (
  id          bigserial   PRIMARY KEY,
  portal_id   bigint      NOT NULL,
  scope       text        NOT NULL CHECK (scope IN ('portal', 'contact')),
  subject_id  bigint,
  reason      text        NOT NULL,
  row_counts  jsonb       NOT NULL,
  deleted_at  timestamptz NOT NULL DEFAULT now()
);

-- Deletes every row of one portal from every table that has a portal_id column, found in the catalog
-- at call time (so a table added by a later migration is covered without touching this function),
-- and records how many rows each table lost. Children go before portals itself.
CREATE FUNCTION delete_portal_data(p_portal_id bigint, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  t      record;
  n      bigint;
  counts jsonb := '{}';
BEGIN
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
