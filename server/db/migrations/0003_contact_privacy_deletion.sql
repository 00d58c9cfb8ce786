-- Up Migration

-- GDPR: deletes one contact's rows and everything derived from it, at once, with an audit row.
-- Credits that a deleted touch earned are removed too; the deals they belonged to are recomputed by
-- attribution (their other touches keep their credit).
CREATE FUNCTION delete_contact_data(p_portal_id bigint, p_contact_id bigint, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  n      bigint;
  counts jsonb := '{}';
BEGIN
  DELETE FROM attribution_credits c
   USING touches t
   WHERE c.portal_id = p_portal_id AND t.portal_id = p_portal_id
     AND t.contact_id = p_contact_id AND c.touch_id = t.id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('attribution_credits', n); END IF;

  DELETE FROM touches WHERE portal_id = p_portal_id AND contact_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('touches', n); END IF;

  DELETE FROM associations
   WHERE portal_id = p_portal_id
     AND ((from_type = 'contacts' AND from_id = p_contact_id) OR (to_type = 'contacts' AND to_id = p_contact_id));
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('associations', n); END IF;

  DELETE FROM stage_events WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('stage_events', n); END IF;

  DELETE FROM findings WHERE portal_id = p_portal_id AND object_type IN ('contact', 'contacts') AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('findings', n); END IF;

  DELETE FROM writeback_ledger WHERE portal_id = p_portal_id AND object_type IN ('contact', 'contacts') AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('writeback_ledger', n); END IF;

  DELETE FROM webhook_inbox WHERE portal_id = p_portal_id AND object_id = p_contact_id AND subscription LIKE 'contact.%';
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('webhook_inbox', n); END IF;

  DELETE FROM contacts WHERE portal_id = p_portal_id AND id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('contacts', n); END IF;

  INSERT INTO deletion_audit (portal_id, scope, subject_id, reason, row_counts)
  VALUES (p_portal_id, 'contact', p_contact_id, p_reason, counts);
  RETURN counts;
END;
$$;
