-- Up Migration

-- The admin page (#9). Who may enter a portal's page besides the user who installed it: admins that an
-- admin added on the page (HubSpot user ids; the email is what the page shows).
CREATE TABLE portal_admins (
  portal_id  bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  user_id    bigint      NOT NULL,
  email      text,
  added_by   text        NOT NULL,
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, user_id)
);

-- Server-side sessions of the admin page. The browser holds a random id; only its SHA-256 is stored,
-- so a copy of this table opens no session. `csrf_token` is the synchronizer token every
-- state-changing request must echo. A session ends at `expires_at` (absolute) or after the idle time
-- since `last_seen_at`, whichever comes first.
CREATE TABLE admin_sessions (
  id_hash      bytea       PRIMARY KEY,
  portal_id    bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  user_id      bigint      NOT NULL,
  user_email   text,
  via          text        NOT NULL CHECK (via IN ('oauth', 'link')),
  csrf_token   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX admin_sessions_portal ON admin_sessions (portal_id);
CREATE INDEX admin_sessions_expires ON admin_sessions (expires_at);

-- Signed entry links already used: a link is single use, so its nonce is recorded when it is
-- redeemed and a second redemption finds it. Rows are only needed until the link would have expired.
CREATE TABLE admin_link_redemptions (
  portal_id   bigint      NOT NULL REFERENCES portals ON DELETE CASCADE,
  nonce       text        NOT NULL,
  expires_at  timestamptz NOT NULL,
  redeemed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (portal_id, nonce)
);
