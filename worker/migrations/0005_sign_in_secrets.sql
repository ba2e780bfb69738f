-- Sign-in secrets and account activity (issue 12).
--
-- The live sign-in code, sealed (AES-256-GCM under NOTES_KEY, the code's id as additional data), so
-- asking again re-sends the same code instead of making a new one. Cleared once the code is used, dead
-- (5 wrong tries) or expired; never in plaintext, never in the outbox (the email is rendered at delivery).
ALTER TABLE sign_in_codes ADD COLUMN code_sealed TEXT;

-- The caller's network for each audit row: the /24 (IPv4) or /48 (IPv6) prefix in CIDR form, never
-- the full address; NULL when unknown (local development, the cron). Audit rows stay append-only.
ALTER TABLE audit_log ADD COLUMN network TEXT;
