-- Caseload schema: the whole product in one migration. Instants are ISO 8601 UTC
-- strings ('2026-12-01T15:00:00.000Z'), which sort and compare as text.

CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,              -- lower-cased
  npi TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  telehealth_url TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX providers_email ON providers (email);

-- Insurance carriers known to the platform, seeded from data/payers.tsv.
CREATE TABLE payers (
  id TEXT PRIMARY KEY,              -- pay_…
  name TEXT NOT NULL,
  payer_code TEXT NOT NULL,         -- electronic payer id used on the 837P
  notes TEXT NOT NULL DEFAULT ''
);

CREATE TABLE provider_carriers (
  provider_id TEXT NOT NULL REFERENCES providers (id),
  payer_id TEXT NOT NULL REFERENCES payers (id),
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'terminated')),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (provider_id, payer_id)
);

CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,              -- as entered
  email_lower TEXT NOT NULL,        -- for the per-provider uniqueness and prefix search
  time_zone TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active')),
  -- Billing and insurance info (CMS-1500 fields); NULL = not yet given.
  legal_first_name TEXT,
  legal_last_name TEXT,
  date_of_birth TEXT,
  sex TEXT CHECK (sex IN ('F', 'M', 'X')),
  phone TEXT,
  address_line1 TEXT,
  address_line2 TEXT,
  address_city TEXT,
  address_state TEXT,
  address_postal_code TEXT,
  payer_id TEXT REFERENCES payers (id),
  member_id TEXT,
  group_number TEXT,
  relationship TEXT CHECK (relationship IN ('self', 'spouse', 'child', 'other')),
  subscriber_first_name TEXT,
  subscriber_last_name TEXT,
  subscriber_date_of_birth TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX clients_provider_email ON clients (provider_id, email_lower);
CREATE INDEX clients_provider_name ON clients (provider_id, last_name COLLATE NOCASE, first_name COLLATE NOCASE, id);
CREATE INDEX clients_provider_first ON clients (provider_id, first_name COLLATE NOCASE);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  location_type TEXT NOT NULL CHECK (location_type IN ('office', 'telehealth')),
  status TEXT NOT NULL DEFAULT 'scheduled'
    CHECK (status IN ('scheduled', 'confirmed', 'canceled', 'late_canceled', 'no_show')),
  cancel_reason TEXT,
  series_id TEXT,
  ics_sequence INTEGER NOT NULL DEFAULT 0,  -- SEQUENCE of the invite, raised on every change
  notified_at TEXT,
  reminder_sent_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- Calendar range reads and the conflict check: (provider, start).
CREATE INDEX appointments_provider_start ON appointments (provider_id, starts_at);
-- The badge: past sessions still 'scheduled', counted by an index range on ends_at.
CREATE INDEX appointments_unconfirmed ON appointments (provider_id, ends_at) WHERE status = 'scheduled';
CREATE INDEX appointments_client ON appointments (client_id, starts_at);
-- Reminders: the cron looks for scheduled sessions starting within 24 h.
CREATE INDEX appointments_reminder ON appointments (starts_at) WHERE status = 'scheduled' AND reminder_sent_at IS NULL;

CREATE TABLE confirmations (
  appointment_id TEXT PRIMARY KEY REFERENCES appointments (id),
  provider_id TEXT NOT NULL REFERENCES providers (id),
  cpt_code TEXT NOT NULL,
  add_on_codes TEXT NOT NULL,        -- JSON array
  diagnosis_codes TEXT NOT NULL,     -- JSON array, primary first
  progress_note TEXT NOT NULL,       -- AES-GCM ciphertext (NOTES_KEY), base64
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  patient_location TEXT NOT NULL CHECK (patient_location IN ('home', 'other')),
  confirmed_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE claims (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  appointment_id TEXT NOT NULL REFERENCES appointments (id),
  client_id TEXT NOT NULL REFERENCES clients (id),
  payer_id TEXT NOT NULL REFERENCES payers (id),
  status TEXT NOT NULL DEFAULT 'ready'
    CHECK (status IN ('ready', 'submitted', 'accepted', 'rejected', 'paid', 'denied')),
  service_date TEXT NOT NULL,        -- YYYY-MM-DD in the provider's zone
  place_of_service TEXT NOT NULL,
  cpt_code TEXT NOT NULL,
  modifiers TEXT NOT NULL,           -- JSON array
  lines TEXT NOT NULL,               -- JSON: service lines (primary + add-ons) with modifiers, units, pointers
  diagnosis_codes TEXT NOT NULL,     -- JSON array
  units INTEGER NOT NULL DEFAULT 1,
  rendering_npi TEXT NOT NULL,
  member_id TEXT NOT NULL,
  group_number TEXT,
  patient TEXT NOT NULL,             -- JSON: the client's demographics as of confirmation
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX claims_appointment ON claims (appointment_id);
CREATE INDEX claims_provider_created ON claims (provider_id, created_at DESC, id DESC);

-- Durable email outbox: written in the same batch as the change that causes it.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  provider_id TEXT,
  kind TEXT NOT NULL,                -- welcome | sign_in_code | session_details | …
  dedupe_key TEXT,                   -- e.g. reminder:apt_… — at most one email per key
  to_addr TEXT NOT NULL,
  from_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  attachments TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  lease_until TEXT,
  last_error TEXT,
  sent_at TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX outbox_dedupe ON outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- What the local "mailbox" transport delivered (development and tests only).
CREATE TABLE dev_mailbox (
  id TEXT PRIMARY KEY,
  outbox_id TEXT,
  to_addr TEXT NOT NULL,
  from_addr TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT NOT NULL,
  attachments TEXT NOT NULL DEFAULT '[]',
  sent_at TEXT NOT NULL
);
CREATE INDEX dev_mailbox_sent ON dev_mailbox (sent_at DESC);

CREATE TABLE sign_in_codes (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers (id),
  code_hash TEXT NOT NULL,           -- SHA-256 of provider id + code
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX sign_in_codes_provider ON sign_in_codes (provider_id, created_at);

CREATE TABLE auth_tokens (
  token_hash TEXT PRIMARY KEY,       -- SHA-256 of the bearer token; the token itself is never stored
  provider_id TEXT NOT NULL REFERENCES providers (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX auth_tokens_provider ON auth_tokens (provider_id);

-- Fixed-window counters for rate limits (sign-in codes per email / per IP, API per token).
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,              -- bucket:subject-hash:window-start
  count INTEGER NOT NULL,
  expires_at TEXT NOT NULL
);

CREATE TABLE idempotency_keys (
  provider_id TEXT NOT NULL,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,        -- SHA-256 of method, path and body
  state TEXT NOT NULL CHECK (state IN ('running', 'done')),
  response_status INTEGER,
  response_body TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (provider_id, key)
);

-- Who read or changed client data, and when. Never the values.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor_type TEXT NOT NULL CHECK (actor_type IN ('provider', 'client', 'admin', 'system')),
  actor_id TEXT,
  provider_id TEXT,
  action TEXT NOT NULL,              -- e.g. client.read, client.create, billing.update
  entity_type TEXT NOT NULL,
  entity_id TEXT
);
CREATE INDEX audit_log_provider ON audit_log (provider_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Single-purpose links to a client's self-service page.
CREATE TABLE client_links (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (id),
  provider_id TEXT NOT NULL REFERENCES providers (id),
  purpose TEXT NOT NULL DEFAULT 'account',
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX client_links_client ON client_links (client_id);
