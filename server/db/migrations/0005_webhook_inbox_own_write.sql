-- Up Migration

-- Events caused by the app's own writes to HubSpot (changeSource INTEGRATION or API with sourceId =
-- the app's id) are stored like any other, so the inbox stays a faithful record of what HubSpot sent,
-- but flagged at intake: the drain marks them processed without applying them, instead of every
-- reader having to re-derive the rule from the payload.
ALTER TABLE webhook_inbox ADD COLUMN own_write boolean NOT NULL DEFAULT false;
