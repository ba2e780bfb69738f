-- The provider's private calendar feed (GET /feed/<token>.ics): a secret address that a calendar
-- app subscribes to. Only the token's SHA-256 is kept. Making a new address revokes the old one, so
-- a provider has at most one live feed; a revoked row is pruned 7 days later (db/retention.ts).
CREATE TABLE calendar_feeds (
  id TEXT PRIMARY KEY,                 -- cfd_…: what the audit log names (never the token)
  token_hash TEXT NOT NULL,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
-- A feed read looks its token up by hash.
CREATE UNIQUE INDEX calendar_feeds_token ON calendar_feeds (token_hash);
-- At most one live address per provider, whatever two requests race.
CREATE UNIQUE INDEX calendar_feeds_live ON calendar_feeds (provider_id) WHERE revoked_at IS NULL;
-- The hourly prune finds revoked rows by when they were revoked.
CREATE INDEX calendar_feeds_revoked ON calendar_feeds (revoked_at) WHERE revoked_at IS NOT NULL;
