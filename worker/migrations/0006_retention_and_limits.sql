-- Operations: what the retention job prunes by (an index per expiry, so each bounded DELETE is a
-- range scan), the notify routes' per-client rate limit, and the version a correction is built on.

-- Retention (domain/operations.ts runScheduled → db/retention.ts).
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX sign_in_codes_expires ON sign_in_codes (expires_at);
CREATE INDEX auth_tokens_expires ON auth_tokens (expires_at);
CREATE INDEX client_links_expires ON client_links (expires_at);
CREATE INDEX rate_limits_expires ON rate_limits (expires_at);
-- Delivered emails whose bodies are still stored (normally none: delivery blanks them).
CREATE INDEX outbox_sent_with_body ON outbox (sent_at) WHERE status = 'sent' AND text_body <> '';

-- One row per email sent by POST …/clients/:id/notify or …/appointments/:id/notify: at most 3 per
-- client in any hour, enforced by a conditional insert in the email's own batch.
CREATE TABLE notify_sends (
  id TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE INDEX notify_sends_client ON notify_sends (client_id, sent_at);
CREATE INDEX notify_sends_sent ON notify_sends (sent_at);

-- A fresh random id on every write of a confirmation: a correction updates only the revision it
-- read, so two corrections built from the same read cannot both win.
ALTER TABLE confirmations ADD COLUMN revision TEXT;
