-- Up Migration

-- A record deleted in HubSpot stays in the mirror, archived, as HubSpot keeps it 90 days in its recycle
-- bin, from where a user can restore it. The sync looks up, by id, archived records a listing of the
-- recycle bin no longer returns: HubSpot answers a restored one (it comes back into the mirror) and not
-- a purged one (emptied from the bin, or deleted permanently). `purged_at` records that answer, so a
-- purged record is looked up once, not at every pass for the rest of its 90 days. Any later version of
-- the record (a listing, a re-read, a new deletion) clears it.
ALTER TABLE contacts ADD COLUMN purged_at timestamptz;
ALTER TABLE companies ADD COLUMN purged_at timestamptz;
ALTER TABLE deals ADD COLUMN purged_at timestamptz;
ALTER TABLE tickets ADD COLUMN purged_at timestamptz;

-- What a recycle-bin pass compares its pages with: the records the mirror believes are in the bin.
CREATE INDEX contacts_in_recycle_bin ON contacts (portal_id, id)
  WHERE archived AND merged_into_id IS NULL AND purged_at IS NULL;
CREATE INDEX companies_in_recycle_bin ON companies (portal_id, id)
  WHERE archived AND merged_into_id IS NULL AND purged_at IS NULL;
CREATE INDEX deals_in_recycle_bin ON deals (portal_id, id)
  WHERE archived AND merged_into_id IS NULL AND purged_at IS NULL;
CREATE INDEX tickets_in_recycle_bin ON tickets (portal_id, id)
  WHERE archived AND merged_into_id IS NULL AND purged_at IS NULL;
