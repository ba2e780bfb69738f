-- The provider's billing profile (what every claim's billing-provider loop needs, API.md) and fee
-- schedule. Every profile column may be NULL: a profile is saved as far as it is given and its
-- `missing` paths say what a claim still needs.

CREATE TABLE provider_billing_profiles (
  provider_id TEXT PRIMARY KEY REFERENCES providers (id),
  billing_name TEXT,
  entity TEXT CHECK (entity IN ('person', 'organization')),
  tax_id_type TEXT CHECK (tax_id_type IN ('EIN', 'SSN')),
  tax_id_last4 TEXT,
  tax_id_sealed TEXT,               -- the digits, AES-GCM under NOTES_KEY (it may be an SSN)
  taxonomy_code TEXT,
  group_npi TEXT,
  address_line1 TEXT,
  address_line2 TEXT,
  address_city TEXT,
  address_state TEXT,
  address_postal_code TEXT,         -- ZIP+4
  phone TEXT,
  has_service_address INTEGER NOT NULL DEFAULT 0 CHECK (has_service_address IN (0, 1)),
  service_line1 TEXT,
  service_line2 TEXT,
  service_city TEXT,
  service_state TEXT,
  service_postal_code TEXT,
  edi_submitter_id TEXT,
  edi_submitter_name TEXT,
  edi_receiver_id TEXT,
  edi_receiver_name TEXT,
  edi_usage TEXT CHECK (edi_usage IN ('test', 'production')),
  updated_at TEXT NOT NULL,
  -- A stored tax id always has its type and last four digits beside it.
  CHECK ((tax_id_sealed IS NULL) = (tax_id_type IS NULL) AND (tax_id_sealed IS NULL) = (tax_id_last4 IS NULL))
);

-- The provider's charge per CPT code; a claim line's charge is the fee times its units.
CREATE TABLE provider_fees (
  provider_id TEXT NOT NULL REFERENCES providers (id),
  cpt_code TEXT NOT NULL,
  amount_cents INTEGER NOT NULL CHECK (amount_cents BETWEEN 1 AND 10000000),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (provider_id, cpt_code)
);
