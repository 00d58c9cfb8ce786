-- Up Migration

-- Section 5's checklist items, stored by the app (HubSpot has no place for them): one row per item
-- done, with the HubSpot user who checked it and when. Unchecking deletes the row; the audit below
-- keeps the history.
CREATE TABLE checklist_items (
  portal_id        bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  object_type      text        NOT NULL CHECK (object_type IN ('contacts', 'companies', 'deals', 'tickets')),
  object_id        bigint      NOT NULL,
  checklist        text        NOT NULL,
  item             text        NOT NULL,
  done_by_user_id  bigint      NOT NULL,
  done_by_email    text,
  done_at          timestamptz NOT NULL,
  PRIMARY KEY (portal_id, object_type, object_id, checklist, item)
);

-- Every change a person made from a card, as it was accepted: who (HubSpot user id and email, as
-- HubSpot's signed request named them), on which record, what changed from what to what.
CREATE TABLE card_writes (
  portal_id        bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  id               bigserial,
  object_type      text        NOT NULL CHECK (object_type IN ('contacts', 'companies', 'deals', 'tickets')),
  object_id        bigint      NOT NULL,
  action           text        NOT NULL CHECK (action IN ('fill_field', 'checklist_item', 'change_request_reason', 'accept_lead')),
  property         text,
  old_value        text,
  new_value        text,
  user_id          bigint      NOT NULL,
  user_email       text,
  written_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, id)
);
CREATE INDEX card_writes_record ON card_writes (portal_id, object_type, object_id, written_at);

-- A card finds the records that may share a contact's email or a company's domain (the default
-- duplicate rules' properties) by the value lower-cased and trimmed; without these, each contact card
-- would scan the portal's contacts.
CREATE INDEX contacts_duplicate_key ON contacts (portal_id, lower(btrim(properties ->> 'email')));
CREATE INDEX companies_duplicate_key ON companies (portal_id, lower(btrim(properties ->> 'domain')));
