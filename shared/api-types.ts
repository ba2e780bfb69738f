// Response shapes of the Caseload HTTP API v1 (see docs/API.md): what the Worker
// returns and what the extension reads.

export type ClientStatus = 'invited' | 'active';

export interface Client {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  timeZone: string;
  status: ClientStatus;
  billingComplete: boolean;
  missing: string[];
  createdAt: string;
}

export interface BillingInfo {
  legalFirstName: string | null;
  legalLastName: string | null;
  dateOfBirth: string | null;
  sex: 'F' | 'M' | 'X' | null;
  phone: string | null;
  address: {
    line1: string | null;
    line2: string | null;
    city: string | null;
    state: string | null;
    postalCode: string | null;
  } | null;
  insurance: {
    payerId: string | null;
    memberId: string | null;
    groupNumber: string | null;
    relationship: 'self' | 'spouse' | 'child' | 'other' | null;
    subscriber: { firstName: string | null; lastName: string | null; dateOfBirth: string | null } | null;
  } | null;
}

export type AppointmentStatus = 'scheduled' | 'confirmed' | 'canceled' | 'late_canceled' | 'no_show';
export type Location = { type: 'office' } | { type: 'telehealth'; url: string };

export interface Appointment {
  id: string;
  clientId: string;
  client: { id: string; firstName: string; lastName: string };
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  location: Location;
  status: AppointmentStatus;
  notifiedAt: string | null;
  confirmation: null | {
    cptCode: string;
    addOnCodes: string[];
    diagnosisCodes: string[];
    confirmedAt: string;
    /** The actual times and where the patient was (telehealth), as confirmed. */
    startedAt: string;
    endedAt: string;
    patientLocation: 'home' | 'other';
    telehealthModality: 'video' | 'audio';
  };
  claimId: string | null;
  seriesId: string | null;
}

/** GET /v1/appointments/day: one day in the provider's zone and the next scheduled session after it. */
export interface AppointmentDay {
  date: string;
  timeZone: string;
  items: Appointment[];
  next: Appointment | null;
}

export type ClaimStatus =
  | 'ready'
  | 'exported'
  | 'submitted'
  | 'accepted'
  | 'rejected'
  | 'paid'
  | 'denied'
  | 'replaced'
  | 'voided';

export type ClaimFrequency = 'original' | 'replacement' | 'void';

export interface Claim {
  id: string;
  claimNumber: string;
  appointmentId: string;
  clientId: string;
  payerId: string;
  payer: { id: string; name: string; payerCode: string };
  status: ClaimStatus;
  frequency: ClaimFrequency;
  replacesClaimId: string | null;
  payerClaimNumber: string | null;
  serviceDate: string;
  placeOfService: string;
  cptCode: string;
  modifiers: string[];
  diagnosisCodes: string[];
  lines: ClaimLine[];
  totalCents: number;
  exportId: string | null;
  paidCents: number | null;
  createdAt: string;
  updatedAt: string;
  /** What the clearinghouse or payer answered, oldest first: on one claim's answers, not in lists. */
  reports?: ClaimReport[];
}

/** One status report of a claim (POST /v1/claims/:id/status), with the biller's note. */
export interface ClaimReport {
  status: 'submitted' | 'accepted' | 'rejected' | 'paid' | 'denied';
  payerClaimNumber: string | null;
  paidCents: number | null;
  note: string | null;
  at: string;
}

/** An 837P export: one interchange holding these claims. */
export interface ClaimExport {
  id: string;
  claimIds: string[];
  claimCount: number;
  totalCents: number;
  /** ISA13, 9 digits zero-padded. */
  interchangeControlNumber: string;
  createdAt: string;
}

/** One service line of a claim (CMS-1500 box 24 / 837P loop 2400). */
export interface ClaimLine {
  cptCode: string;
  modifiers: string[];
  units: number;
  /** The fee for the code times its units. */
  amountCents: number;
  /** 1-based positions in the claim's diagnosisCodes, at most 4. */
  diagnosisPointers: number[];
}

/** The patient's demographics on a claim, as of confirmation. */
export interface PatientSnapshot {
  legalFirstName: string;
  legalLastName: string;
  dateOfBirth: string;
  sex: 'F' | 'M' | 'X';
  phone: string;
  address: { line1: string; line2: string | null; city: string; state: string; postalCode: string };
  relationship: 'self' | 'spouse' | 'child' | 'other';
  subscriber: { firstName: string; lastName: string; dateOfBirth: string } | null;
}

export interface Provider {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  npi: string;
  telehealthUrl: string | null;
  carriers: { payerId: string; name: string; status: 'pending' | 'approved' | 'terminated' }[];
}

/** GET /v1/me: the provider, whether its billing profile is complete, and its calendar feed (if any). */
export interface Me extends Provider {
  billingComplete: boolean;
  calendarFeed: { createdAt: string } | null;
}

export interface StreetAddressOut {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
}

/** GET/PUT /v1/me/billing-profile: the tax id never whole (its type and last 4 digits). */
export interface BillingProfile {
  billingName: string | null;
  entity: 'person' | 'organization' | null;
  taxId: { type: 'EIN' | 'SSN'; last4: string } | null;
  taxonomyCode: string | null;
  groupNpi: string | null;
  address: StreetAddressOut;
  phone: string | null;
  serviceAddress: StreetAddressOut | null;
  edi: {
    submitterId: string | null;
    submitterName: string | null;
    receiverId: string | null;
    receiverName: string | null;
    usage: 'test' | 'production' | null;
  };
  missing: string[];
}

export interface FeeSchedule {
  items: { cptCode: string; amountCents: number }[];
}

export interface Payer {
  id: string;
  name: string;
  payerCode: string;
}
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export interface UnconfirmedCount {
  count: number;
  oldestStartsAt: string | null;
}
export interface TokenResponse {
  token: string;
  expiresAt: string;
  provider: Provider;
}
export interface Icd10Match {
  code: string;
  description: string;
  billable: boolean;
}

export type ErrorCode =
  | 'bad_json'
  | 'validation_failed'
  | 'unauthenticated'
  | 'not_found'
  | 'client_exists'
  | 'schedule_conflict'
  | 'already_confirmed'
  | 'confirmation_locked'
  | 'claim_exported'
  | 'nothing_to_export'
  | 'invalid_state'
  | 'not_credentialed'
  | 'provider_exists'
  | 'request_in_progress'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'session_not_ended'
  | 'telehealth_not_configured'
  | 'confirmation_window_closed'
  | 'invalid_code'
  | 'billing_incomplete'
  | 'provider_billing_incomplete'
  | 'payer_not_credentialed'
  | 'idempotency_key_reused'
  | 'rate_limited'
  | 'misconfigured'
  | 'method_not_allowed'
  | 'internal_error';

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    issues?: { path: string; message: string }[];
    existingClientId?: string;
    conflicts?: string[];
    missing?: string[];
    settingsUrl?: string;
    payerId?: string;
  };
}

/** GET /v1/me/activity: one entry of the provider's account activity (API.md "Sign-in"). */
export type ActivityAction =
  | 'signin.succeeded'
  | 'signin.failed'
  | 'signin.locked'
  | 'logout'
  | 'logout_all'
  | 'client_link.opened'
  | 'client_billing.saved'
  | 'client_billing.read'
  | 'note.read'
  | 'claims.exported'
  | 'admin.carrier_changed'
  | 'admin.provider_created'
  | 'admin.email_retried';

export interface ActivityItem {
  id: string;
  at: string;
  action: ActivityAction;
  actor: 'provider' | 'client' | 'admin' | 'system';
  targetType: string;
  targetId: string | null;
  /** The caller's /24 (IPv4) or /48 (IPv6) in CIDR form; null when unknown. */
  network: string | null;
}
