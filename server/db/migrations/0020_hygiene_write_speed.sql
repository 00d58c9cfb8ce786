-- Up Migration

-- Hygiene write speed (issue #5: a 1M-record evaluation within 1.5 × the time to stream its rows). The
-- foreign keys of findings and computed_properties to portals cost one referential check per inserted
-- row (about a third of Postgres's CPU for an evaluation's writes). Their writers now check the portal
-- once per statement instead, taking the same FOR KEY SHARE lock on the portals row that the foreign
-- key took (server/db/repositories/findings.ts, computed-properties.ts), as the webhook inbox does since
-- 0010. The cascade they gave is not needed: delete_portal_data (latest in 0010) deletes from every
-- table with a portal_id column, after locking the portal row FOR UPDATE, so it waits for the writes in
-- flight and a later write finds no portal and inserts nothing.
ALTER TABLE findings DROP CONSTRAINT findings_portal_id_fkey;
ALTER TABLE computed_properties DROP CONSTRAINT computed_properties_portal_id_fkey;

-- The `now` of the consumer's last whole-portal pass, written when the pass is done. A hygiene pass no
-- longer rewrites every open finding it sees unchanged just to move its last_seen_at: an open finding's
-- last sighting is the later of its last_seen_at and this (server/db/repositories/findings.ts).
ALTER TABLE change_cursors ADD COLUMN full_pass_at timestamptz;
