// The API's response bodies as schemas: the OpenAPI document describes every answer with them, and
// test/worker/openapi.test.ts checks real answers against them, so the description cannot drift
// from what the Worker sends. (The TypeScript shapes are in shared/api-types.ts.)
import * as v from 'valibot';

const str = v.string();
const nullableStr = v.nullable(v.string());
const strings = v.array(v.string());

export const PageOf = <S extends v.GenericSchema>(item: S) =>
  v.object({ items: v.array(item), nextCursor: nullableStr });

export const ClientOut = v.object({
  id: str,
  firstName: str,
  lastName: str,
  email: str,
  timeZone: str,
  status: v.picklist(['invited', 'active']),
  billingComplete: v.boolean(),
  missing: strings,
  createdAt: str,
});

export const BillingInfoOut = v.object({
  legalFirstName: nullableStr,
  legalLastName: nullableStr,
  dateOfBirth: nullableStr,
  sex: v.nullable(v.picklist(['F', 'M', 'X'])),
  phone: nullableStr,
  address: v.nullable(
    v.object({
      line1: nullableStr,
      line2: nullableStr,
      city: nullableStr,
      state: nullableStr,
      postalCode: nullableStr,
    }),
  ),
  insurance: v.nullable(
    v.object({
      payerId: nullableStr,
      memberId: nullableStr,
      groupNumber: nullableStr,
      relationship: v.nullable(v.picklist(['self', 'spouse', 'child', 'other'])),
      subscriber: v.nullable(v.object({ firstName: nullableStr, lastName: nullableStr, dateOfBirth: nullableStr })),
    }),
  ),
});

export const AppointmentOut = v.object({
  id: str,
  clientId: str,
  client: v.object({ id: str, firstName: str, lastName: str }),
  startsAt: str,
  endsAt: str,
  durationMinutes: v.number(),
  location: v.variant('type', [
    v.object({ type: v.literal('office') }),
    v.object({ type: v.literal('telehealth'), url: nullableStr }),
  ]),
  status: v.picklist(['scheduled', 'confirmed', 'canceled', 'late_canceled', 'no_show']),
  notifiedAt: nullableStr,
  confirmation: v.nullable(
    v.object({
      cptCode: str,
      addOnCodes: strings,
      diagnosisCodes: strings,
      confirmedAt: str,
      startedAt: str,
      endedAt: str,
      patientLocation: v.picklist(['home', 'other']),
      telehealthModality: v.picklist(['video', 'audio']),
    }),
  ),
  claimId: nullableStr,
  seriesId: nullableStr,
});

export const AppointmentDayOut = v.object({
  date: str,
  timeZone: str,
  items: v.array(AppointmentOut),
  next: v.nullable(AppointmentOut),
});

export const AppointmentSeriesOut = v.object({ items: v.array(AppointmentOut) });

export const ClaimOut = v.object({
  id: str,
  claimNumber: str,
  appointmentId: str,
  clientId: str,
  payerId: str,
  payer: v.object({ id: str, name: str, payerCode: str }),
  status: v.picklist([
    'ready',
    'exported',
    'submitted',
    'accepted',
    'rejected',
    'paid',
    'denied',
    'replaced',
    'voided',
  ]),
  frequency: v.picklist(['original', 'replacement', 'void']),
  replacesClaimId: nullableStr,
  payerClaimNumber: nullableStr,
  serviceDate: str,
  placeOfService: str,
  cptCode: str,
  modifiers: strings,
  diagnosisCodes: strings,
  createdAt: str,
  lines: v.array(
    v.object({
      cptCode: str,
      modifiers: strings,
      units: v.number(),
      amountCents: v.number(),
      diagnosisPointers: v.array(v.number()),
    }),
  ),
  totalCents: v.number(),
  exportId: nullableStr,
  paidCents: v.nullable(v.number()),
  units: v.number(),
  renderingNpi: str,
  memberId: str,
  groupNumber: nullableStr,
  patient: v.object({
    legalFirstName: str,
    legalLastName: str,
    dateOfBirth: str,
    sex: v.picklist(['F', 'M', 'X']),
    phone: str,
    address: v.object({ line1: str, line2: nullableStr, city: str, state: str, postalCode: str }),
    relationship: v.picklist(['self', 'spouse', 'child', 'other']),
    subscriber: v.nullable(v.object({ firstName: str, lastName: str, dateOfBirth: str })),
  }),
  updatedAt: str,
  // One claim's answers (GET /v1/claims/:id and POST …/status) carry what the payer answered, oldest first.
  reports: v.optional(
    v.array(
      v.object({
        status: v.picklist(['submitted', 'accepted', 'rejected', 'paid', 'denied']),
        payerClaimNumber: nullableStr,
        paidCents: v.nullable(v.number()),
        note: nullableStr,
        at: str,
      }),
    ),
  ),
});

export const ClaimExportOut = v.object({
  id: str,
  claimIds: strings,
  claimCount: v.number(),
  totalCents: v.number(),
  interchangeControlNumber: str,
  createdAt: str,
});

export const ConfirmedOut = v.object({ appointment: AppointmentOut, claim: ClaimOut });

export const NoteOut = v.object({ appointmentId: str, progressNote: str, updatedAt: str });
export const NoteDraftOut = v.object({ text: str, savedAt: str });

export const ProviderOut = v.object({
  id: str,
  name: str,
  email: str,
  timeZone: str,
  npi: str,
  telehealthUrl: nullableStr,
  carriers: v.array(v.object({ payerId: str, name: str, status: v.picklist(['pending', 'approved', 'terminated']) })),
});

export const MeOut = v.object({
  ...ProviderOut.entries,
  billingComplete: v.boolean(),
  calendarFeed: v.nullable(v.object({ createdAt: str })),
});

const StreetAddressOut = v.object({
  line1: nullableStr,
  line2: nullableStr,
  city: nullableStr,
  state: nullableStr,
  postalCode: nullableStr,
});

export const BillingProfileOut = v.object({
  billingName: nullableStr,
  entity: v.nullable(v.picklist(['person', 'organization'])),
  taxId: v.nullable(v.object({ type: v.picklist(['EIN', 'SSN']), last4: str })),
  taxonomyCode: nullableStr,
  groupNpi: nullableStr,
  address: StreetAddressOut,
  phone: nullableStr,
  serviceAddress: v.nullable(StreetAddressOut),
  edi: v.object({
    submitterId: nullableStr,
    submitterName: nullableStr,
    receiverId: nullableStr,
    receiverName: nullableStr,
    usage: v.nullable(v.picklist(['test', 'production'])),
  }),
  missing: strings,
});

export const FeesOut = v.object({ items: v.array(v.object({ cptCode: str, amountCents: v.number() })) });

export const CalendarFeedOut = v.object({ url: str });

export const TokenOut = v.object({ token: str, expiresAt: str, provider: ProviderOut });

export const ActivityOut = PageOf(
  v.object({
    id: str,
    at: str,
    action: str,
    actor: v.picklist(['provider', 'client', 'admin', 'system']),
    targetType: str,
    targetId: nullableStr,
    network: nullableStr,
  }),
);

export const PayersOut = v.object({ items: v.array(v.object({ id: str, name: str, payerCode: str })) });

export const UnconfirmedCountOut = v.object({ count: v.number(), oldestStartsAt: nullableStr });

export const CptCodesOut = PageOf(
  v.object({
    code: str,
    description: str,
    kind: v.picklist(['primary', 'add_on']),
    minMinutes: v.nullable(v.number()),
    maxMinutes: v.nullable(v.number()),
    addOnTo: v.nullable(strings),
    notWith: v.nullable(strings),
    onePerSession: v.boolean(),
    note: str,
  }),
);

export const Icd10MatchesOut = PageOf(v.object({ code: str, description: str, billable: v.boolean() }));

export const HealthOut = v.object({
  ok: v.boolean(),
  db: v.picklist(['ok', 'error', 'skipped']),
  email: str,
  /** 503 only: a required setting missing or too weak (named, never its value). */
  error: v.optional(v.object({ code: v.literal('misconfigured'), message: str, problems: v.array(str) })),
});

export const EmptyOut = v.object({});
