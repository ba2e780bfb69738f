-- What the clearinghouse or payer answered, report by report (POST /v1/claims/:id/status): the claim
-- row keeps the latest status, payer claim number and paid amount; this keeps every report with the
-- biller's note ("CO-50 denied, appeal sent"), so a claim's story can be read back. A billing record:
-- never pruned, like the claim itself.
CREATE TABLE claim_reports (
  id INTEGER PRIMARY KEY,
  claim_id TEXT NOT NULL REFERENCES claims (id),
  provider_id TEXT NOT NULL REFERENCES providers (id),
  status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected', 'paid', 'denied')),
  payer_claim_number TEXT,
  paid_cents INTEGER CHECK (paid_cents IS NULL OR paid_cents >= 0),
  note TEXT CHECK (note IS NULL OR length(note) <= 500),
  created_at TEXT NOT NULL
);
CREATE INDEX claim_reports_claim ON claim_reports (claim_id, id);
