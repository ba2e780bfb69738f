-- Client self-service links (issue 12): a link belongs to its client AND the address it was sent to,
-- can be revoked (an email change, a fourth live link), and is traded on first visit for a short
-- page session, so the token leaves the address bar. Sessions are stored hashed, like every token.

-- The address (lowercased) the link went to. Links issued before this migration are bound to the
-- client's address as it is now; '' (never an address) only for a link whose client is gone.
ALTER TABLE client_links ADD COLUMN sent_to TEXT NOT NULL DEFAULT '';
ALTER TABLE client_links ADD COLUMN revoked_at TEXT;
UPDATE client_links
SET sent_to = coalesce((SELECT c.email_lower FROM clients c WHERE c.id = client_links.client_id), '');

-- At most 3 live links per client from now on: older ones beyond the newest 3 are revoked.
UPDATE client_links
SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE revoked_at IS NULL
  AND token_hash NOT IN (
    SELECT token_hash FROM (
      SELECT token_hash,
        row_number() OVER (PARTITION BY client_id ORDER BY created_at DESC, rowid DESC) AS n
      FROM client_links
      WHERE revoked_at IS NULL
    ) WHERE n <= 3
  );

-- The client's live links, newest first (the 3-link cap and the revocations read this).
CREATE INDEX client_links_client_live ON client_links (client_id, created_at) WHERE revoked_at IS NULL;

-- A page session: what the browser holds (as an HttpOnly cookie) after trading a link's token.
-- It lives 30 minutes and only while its link does: revoking the link ends it.
CREATE TABLE client_page_sessions (
  session_hash TEXT PRIMARY KEY,
  link_hash TEXT NOT NULL REFERENCES client_links (token_hash),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX client_page_sessions_link ON client_page_sessions (link_hash);
-- Retention deletes ended sessions by their expiry (db/retention.ts), a range scan.
CREATE INDEX client_page_sessions_expires ON client_page_sessions (expires_at);
