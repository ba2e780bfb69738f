-- The local mailbox keeps at most one copy of each outbox email: a drain that dies after
-- "sending" and is re-run after its lease expires delivers nothing twice (like Resend's
-- Idempotency-Key does for the real transport).
CREATE UNIQUE INDEX dev_mailbox_outbox ON dev_mailbox (outbox_id) WHERE outbox_id IS NOT NULL;
