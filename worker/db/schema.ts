// Kysely types mirroring worker/migrations/*.sql (the migrations are the schema).
import type { Generated } from 'kysely';
import type { ClaimStatus } from '../../shared/api-types';

export interface ProvidersTable {
  id: string;
  name: string;
  email: string;
  npi: string;
  time_zone: string;
  telehealth_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface PayersTable {
  id: string;
  name: string;
  payer_code: string;
  notes: Generated<string>;
}

/** ICD-10-CM (0008_icd10cm.sql, generated): one row per code version, in force from first_fy to last_fy. */
export interface Icd10cmTable {
  id: number;
  code: string;
  first_fy: number;
  last_fy: number;
  billable: 0 | 1;
  manifestation: 0 | 1;
  description: string;
}

/** The FTS5 index over icd10cm.description (external content: rowid = icd10cm.id). */
export interface Icd10cmFtsTable {
  rowid: number;
  description: string;
}

export interface ProviderCarriersTable {
  provider_id: string;
  payer_id: string;
  status: 'pending' | 'approved' | 'terminated';
  updated_at: string;
}

export interface ClientsTable {
  id: string;
  provider_id: string;
  first_name: string;
  last_name: string;
  email: string;
  email_lower: string;
  time_zone: string;
  status: Generated<'invited' | 'active'>;
  legal_first_name: string | null;
  legal_last_name: string | null;
  date_of_birth: string | null;
  sex: 'F' | 'M' | 'X' | null;
  phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_postal_code: string | null;
  payer_id: string | null;
  member_id: string | null;
  group_number: string | null;
  relationship: 'self' | 'spouse' | 'child' | 'other' | null;
  subscriber_first_name: string | null;
  subscriber_last_name: string | null;
  subscriber_date_of_birth: string | null;
  created_at: string;
  updated_at: string;
}

export interface AppointmentsTable {
  id: string;
  provider_id: string;
  client_id: string;
  starts_at: string;
  ends_at: string;
  duration_minutes: number;
  location_type: 'office' | 'telehealth';
  status: Generated<'scheduled' | 'confirmed' | 'canceled' | 'late_canceled' | 'no_show'>;
  cancel_reason: string | null;
  series_id: string | null;
  ics_sequence: Generated<number>;
  notified_at: string | null;
  reminder_sent_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConfirmationsTable {
  appointment_id: string;
  provider_id: string;
  cpt_code: string;
  add_on_codes: string;
  diagnosis_codes: string;
  progress_note: string;
  started_at: string;
  ended_at: string;
  patient_location: 'home' | 'other';
  /** Telehealth only: live audio-video (modifier 95) or audio only (93). */
  telehealth_modality: 'video' | 'audio';
  confirmed_at: string;
  updated_at: string;
  /** Random per write (0006): what a correction's UPDATE is conditional on. */
  revision: string | null;
}

export interface NoteDraftsTable {
  appointment_id: string;
  provider_id: string;
  /** Ciphertext (platform/notes-crypto.ts). */
  text: string;
  saved_at: string;
}

export interface ClaimsTable {
  id: string;
  provider_id: string;
  appointment_id: string;
  client_id: string;
  payer_id: string;
  claim_number: string;
  status: Generated<ClaimStatus>;
  frequency: Generated<'original' | 'replacement' | 'void'>;
  replaces_claim_id: string | null;
  payer_claim_number: string | null;
  service_date: string;
  place_of_service: string;
  cpt_code: string;
  modifiers: string;
  lines: string;
  diagnosis_codes: string;
  units: Generated<number>;
  total_cents: Generated<number>;
  rendering_npi: string;
  member_id: string;
  group_number: string | null;
  patient: string;
  export_id: string | null;
  paid_cents: number | null;
  created_at: string;
  updated_at: string;
}

export interface ClaimReportsTable {
  id: Generated<number>;
  claim_id: string;
  provider_id: string;
  status: 'submitted' | 'accepted' | 'rejected' | 'paid' | 'denied';
  payer_claim_number: string | null;
  paid_cents: number | null;
  note: string | null;
  created_at: string;
}

export interface ClaimExportsTable {
  id: string;
  provider_id: string;
  interchange_control_number: number;
  /** JSON array of claim ids, in file order. */
  claim_ids: string;
  claim_count: number;
  total_cents: number;
  /** The 837P text, kept so every download is byte-identical. */
  file: string;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  provider_id: string | null;
  kind: string;
  dedupe_key: string | null;
  to_addr: string;
  from_addr: string;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: Generated<string>;
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  sent_at: string | null;
  created_at: string;
}

export interface DevMailboxTable {
  id: string;
  outbox_id: string | null;
  to_addr: string;
  from_addr: string;
  subject: string;
  text_body: string;
  html_body: string;
  attachments: Generated<string>;
  sent_at: string;
}

export interface SignInCodesTable {
  id: string;
  provider_id: string;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: string;
  used_at: string | null;
  created_at: string;
  /** The live code, sealed under NOTES_KEY (0005); null once used, dead or expired. */
  code_sealed: string | null;
}

export interface AuthTokensTable {
  token_hash: string;
  provider_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface RateLimitsTable {
  key: string;
  count: number;
  expires_at: string;
}

export interface IdempotencyKeysTable {
  provider_id: string;
  key: string;
  request_hash: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_type: 'provider' | 'client' | 'admin' | 'system';
  actor_id: string | null;
  provider_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  /** The caller's /24 or /48 in CIDR form (0005); null when unknown. */
  network: string | null;
}

export interface ClientLinksTable {
  token_hash: string;
  client_id: string;
  provider_id: string;
  purpose: Generated<string>;
  created_at: string;
  expires_at: string;
  /** The address (lowercased) the link was sent to; the link works only while the client's is the same. */
  sent_to: Generated<string>;
  revoked_at: string | null;
}

/** A page session opened by trading a client link's token (0004); only its hash is stored. */
export interface ClientPageSessionsTable {
  session_hash: string;
  link_hash: string;
  created_at: string;
  expires_at: string;
}

export interface NotifySendsTable {
  id: string;
  client_id: string;
  provider_id: string;
  sent_at: string;
}

export interface CalendarFeedsTable {
  id: string;
  token_hash: string;
  provider_id: string;
  created_at: string;
  revoked_at: string | null;
}

export interface ProviderBillingProfilesTable {
  provider_id: string;
  billing_name: string | null;
  entity: 'person' | 'organization' | null;
  tax_id_type: 'EIN' | 'SSN' | null;
  tax_id_last4: string | null;
  tax_id_sealed: string | null;
  taxonomy_code: string | null;
  group_npi: string | null;
  address_line1: string | null;
  address_line2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_postal_code: string | null;
  phone: string | null;
  has_service_address: number;
  service_line1: string | null;
  service_line2: string | null;
  service_city: string | null;
  service_state: string | null;
  service_postal_code: string | null;
  edi_submitter_id: string | null;
  edi_submitter_name: string | null;
  edi_receiver_id: string | null;
  edi_receiver_name: string | null;
  edi_usage: 'test' | 'production' | null;
  updated_at: string;
}

export interface ProviderFeesTable {
  provider_id: string;
  cpt_code: string;
  amount_cents: number;
  updated_at: string;
}

export interface Database {
  providers: ProvidersTable;
  payers: PayersTable;
  icd10cm: Icd10cmTable;
  icd10cm_fts: Icd10cmFtsTable;
  provider_carriers: ProviderCarriersTable;
  clients: ClientsTable;
  appointments: AppointmentsTable;
  confirmations: ConfirmationsTable;
  claims: ClaimsTable;
  claim_exports: ClaimExportsTable;
  claim_reports: ClaimReportsTable;
  note_drafts: NoteDraftsTable;
  outbox: OutboxTable;
  dev_mailbox: DevMailboxTable;
  sign_in_codes: SignInCodesTable;
  auth_tokens: AuthTokensTable;
  rate_limits: RateLimitsTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  client_links: ClientLinksTable;
  notify_sends: NotifySendsTable;
  client_page_sessions: ClientPageSessionsTable;
  calendar_feeds: CalendarFeedsTable;
  provider_billing_profiles: ProviderBillingProfilesTable;
  provider_fees: ProviderFeesTable;
}
