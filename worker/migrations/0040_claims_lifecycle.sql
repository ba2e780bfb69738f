-- Claims lifecycle and 837P exports (API.md "Claims"): a claim number for CLM01, the frequency
-- (original / replacement / void) with the claim it supersedes and the payer's claim number,
-- charges (total), the export it went out in, what the payer paid; the statuses exported,
-- replaced and voided. SQLite cannot change a CHECK in place: the table is rebuilt.

CREATE TABLE claims_new (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  payer_id TEXT NOT NULL REFERENCES payers (id),
  claim_number TEXT NOT NULL CHECK (length(claim_number) BETWEEN 1 AND 20),
  status TEXT NOT NULL DEFAULT 'ready'
    CHECK (status IN ('ready', 'exported', 'submitted', 'accepted', 'rejected', 'paid', 'denied', 'replaced', 'voided')),
  frequency TEXT NOT NULL DEFAULT 'original' CHECK (frequency IN ('original', 'replacement', 'void')),
  replaces_claim_id TEXT,           -- the claim a replacement or void supersedes
  payer_claim_number TEXT,
  service_date TEXT NOT NULL,        -- YYYY-MM-DD in the provider's zone
  place_of_service TEXT NOT NULL,
  cpt_code TEXT NOT NULL,
  modifiers TEXT NOT NULL,           -- JSON array
  lines TEXT NOT NULL,               -- JSON: service lines with modifiers, units, charge, pointers (1-based)
  diagnosis_codes TEXT NOT NULL,     -- JSON array
  units INTEGER NOT NULL DEFAULT 1,
  total_cents INTEGER NOT NULL DEFAULT 0,
  rendering_npi TEXT NOT NULL,
  member_id TEXT NOT NULL,
  group_number TEXT,
  patient TEXT NOT NULL,             -- JSON: the client's demographics as of confirmation
  export_id TEXT,
  paid_cents INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((frequency = 'original') = (replaces_claim_id IS NULL))
);

-- Earlier claims get a number from their id (unique: ids are) and keep everything else. Their
-- diagnosis pointers were letters (A–D); API.md's are 1-based numbers. Their charge is unknown (0).
INSERT INTO claims_new (id, provider_id, appointment_id, client_id, payer_id, claim_number, status, frequency,
  service_date, place_of_service, cpt_code, modifiers, lines, diagnosis_codes, units, total_cents,
  rendering_npi, member_id, group_number, patient, created_at, updated_at)
SELECT id, provider_id, appointment_id, client_id, payer_id, substr(replace(id, 'clm_', ''), 1, 20), status,
  'original', service_date, place_of_service, cpt_code, modifiers,
  replace(replace(replace(replace(lines, '"A"', '1'), '"B"', '2'), '"C"', '3'), '"D"', '4'),
  diagnosis_codes, units, 0, rendering_npi, member_id, group_number, patient, created_at, updated_at
FROM claims;

DROP TABLE claims;
ALTER TABLE claims_new RENAME TO claims;

-- One original claim per session; its replacement and void claims share the session.
CREATE UNIQUE INDEX claims_appointment ON claims (appointment_id) WHERE frequency = 'original';
CREATE INDEX claims_appointment_all ON claims (appointment_id);
CREATE INDEX claims_provider_created ON claims (provider_id, created_at DESC, id DESC);
CREATE INDEX claims_client_date ON claims (client_id, service_date);
CREATE UNIQUE INDEX claims_provider_number ON claims (provider_id, claim_number);
-- A claim is superseded once: one replacement or void per claim.
CREATE UNIQUE INDEX claims_replaces ON claims (replaces_claim_id) WHERE replaces_claim_id IS NOT NULL;
CREATE INDEX claims_provider_status ON claims (provider_id, status);

-- One 837P interchange per export; the file text is kept so every download is byte-identical.
CREATE TABLE claim_exports (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  interchange_control_number INTEGER NOT NULL CHECK (interchange_control_number BETWEEN 1 AND 999999999),
  claim_ids TEXT NOT NULL,           -- JSON array, in file order
  claim_count INTEGER NOT NULL,
  total_cents INTEGER NOT NULL,
  file TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX claim_exports_icn ON claim_exports (provider_id, interchange_control_number);
CREATE INDEX claim_exports_provider_created ON claim_exports (provider_id, created_at DESC, id DESC);
