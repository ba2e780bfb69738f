-- Audio-only telehealth (billing.md: modifier 93 when the client could not or would not use
-- video); every earlier confirmation was live audio-video (modifier 95).
ALTER TABLE confirmations ADD COLUMN telehealth_modality TEXT NOT NULL DEFAULT 'video'
  CHECK (telehealth_modality IN ('video', 'audio'));

-- billing.md's same-date edits read one client's claims (90791 once a day; no evaluation with
-- psychotherapy on the same date).
CREATE INDEX claims_client_date ON claims (client_id, service_date);
