-- Up Migration

-- A privacy deletion (HubSpot's `contact.privacyDeletion`) must take everything the app holds about the
-- person, not only the tables 0003 knew: since then the mirror keeps the contact's HubSpot events (page
-- views, form submissions: what the person did), the ingest API keeps offline touches matched to the
-- contact or to its email, the write-back keeps the contact's computed values, cards record writes on
-- the contact, and the reporting model keeps its stage entries, scope and SLA clocks. All of it goes now,
-- in the same transaction, rather than at the next refresh or evaluation. The change log keeps the id
-- only (no personal data): that is how the consumers learn the record is gone and resolve its findings.
CREATE OR REPLACE FUNCTION delete_contact_data(p_portal_id bigint, p_contact_id bigint, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  n       bigint;
  counts  jsonb := '{}';
  v_email text;
BEGIN
  SELECT email INTO v_email FROM contacts WHERE portal_id = p_portal_id AND id = p_contact_id;

  DELETE FROM attribution_credits c
   USING touches t
   WHERE c.portal_id = p_portal_id AND t.portal_id = p_portal_id
     AND t.contact_id = p_contact_id AND c.touch_id = t.id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('attribution_credits', n); END IF;

  DELETE FROM touches WHERE portal_id = p_portal_id AND contact_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('touches', n); END IF;

  DELETE FROM hubspot_events WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('hubspot_events', n); END IF;

  DELETE FROM ingested_touches
   WHERE portal_id = p_portal_id
     AND (contact_id = p_contact_id OR (v_email <> '' AND lower(btrim(contact_email)) = v_email));
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('ingested_touches', n); END IF;

  DELETE FROM associations
   WHERE portal_id = p_portal_id
     AND ((from_type = 'contacts' AND from_id = p_contact_id) OR (to_type = 'contacts' AND to_id = p_contact_id));
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('associations', n); END IF;

  DELETE FROM stage_events WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('stage_events', n); END IF;

  DELETE FROM findings WHERE portal_id = p_portal_id AND object_type IN ('contact', 'contacts') AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('findings', n); END IF;

  DELETE FROM computed_properties WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('computed_properties', n); END IF;

  DELETE FROM writeback_ledger WHERE portal_id = p_portal_id AND object_type IN ('contact', 'contacts') AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('writeback_ledger', n); END IF;

  DELETE FROM card_writes WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('card_writes', n); END IF;

  DELETE FROM report_records WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('report_records', n); END IF;

  DELETE FROM report_stage_entries WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('report_stage_entries', n); END IF;

  DELETE FROM report_record_scope WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('report_record_scope', n); END IF;

  DELETE FROM report_sla_clocks WHERE portal_id = p_portal_id AND object_type = 'contacts' AND object_id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('report_sla_clocks', n); END IF;

  DELETE FROM webhook_inbox WHERE portal_id = p_portal_id AND object_id = p_contact_id AND subscription LIKE 'contact.%';
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('webhook_inbox', n); END IF;

  DELETE FROM contacts WHERE portal_id = p_portal_id AND id = p_contact_id;
  GET DIAGNOSTICS n = ROW_COUNT; IF n > 0 THEN counts := counts || jsonb_build_object('contacts', n); END IF;

  INSERT INTO deletion_audit (portal_id, scope, subject_id, reason, row_counts)
  VALUES (p_portal_id, 'contact', p_contact_id, p_reason, counts);
  RETURN counts;
END;
$$;
