// Appointment and confirmation bodies and queries.
import * as v from 'valibot';
import { DateSchema, IdSchema, InstantSchema, ListQuerySchema, ObjectSchema, OneLineSchema } from './common';
import { MAX_CLAIMS_PER_EXPORT } from '../billing/export';

export const LocationSchema = v.variant(
  'type',
  [ObjectSchema({ type: v.literal('office') }), ObjectSchema({ type: v.literal('telehealth') })],
  'Location must be { "type": "office" } or { "type": "telehealth" }',
);

export const DurationSchema = v.pipe(
  v.number('Length must be a number of minutes'),
  v.integer('Length must be a whole number of minutes'),
  v.minValue(15, 'A session lasts at least 15 minutes'),
  v.maxValue(240, 'A session lasts at most 240 minutes'),
);

export const RepeatSchema = ObjectSchema({
  every: v.picklist(['week', '2weeks'], 'Repeat every week or every 2 weeks'),
  count: v.pipe(
    v.number('Number of sessions must be a number'),
    v.integer('Number of sessions must be a whole number'),
    v.minValue(2, 'A series has at least 2 sessions'),
    v.maxValue(52, 'A series has at most 52 sessions'),
  ),
});

export const AppointmentCreateSchema = ObjectSchema({
  clientId: IdSchema('a client'),
  startsAt: InstantSchema('start'),
  durationMinutes: DurationSchema,
  location: LocationSchema,
  notify: v.optional(v.boolean('notify must be true or false'), false),
  repeat: v.optional(RepeatSchema),
});
export type AppointmentCreateInput = v.InferInput<typeof AppointmentCreateSchema>;

export const AppointmentPatchSchema = ObjectSchema({
  startsAt: v.optional(InstantSchema('start')),
  durationMinutes: v.optional(DurationSchema),
  location: v.optional(LocationSchema),
});
export type AppointmentPatchInput = v.InferInput<typeof AppointmentPatchSchema>;

export const CancelSchema = ObjectSchema({
  reason: v.picklist(
    ['client', 'provider', 'late_cancel', 'no_show'],
    'Reason must be client, provider, late_cancel or no_show',
  ),
});

export const APPOINTMENT_STATUSES = ['scheduled', 'confirmed', 'canceled', 'late_canceled', 'no_show'] as const;

export const AppointmentListQuerySchema = v.object({
  ...ListQuerySchema.entries,
  from: v.optional(InstantSchema('from')),
  to: v.optional(InstantSchema('to')),
  clientId: v.optional(IdSchema('a client')),
  status: v.optional(v.picklist(APPOINTMENT_STATUSES, `status must be one of ${APPOINTMENT_STATUSES.join(', ')}`)),
});

/** GET /v1/appointments/day: a calendar date in the provider's zone (default: today there). */
export const AppointmentDayQuerySchema = v.object({ date: v.optional(DateSchema('date')) });

const CptShape = v.pipe(
  OneLineSchema('CPT code must be text', 'the CPT code'),
  v.regex(/^\d{5}$/, 'A CPT code is 5 digits, e.g. 90834'),
);

const DiagnosisCodesSchema = v.pipe(
  v.array(
    v.pipe(
      OneLineSchema('Diagnosis codes must be text', 'a diagnosis code'),
      // billing.md's shape; QA0 and QA1 (since FY2026) have a letter second.
      v.regex(/^[A-Za-z](?:\d[0-9A-Za-z]|[A-Za-z]\d)\.?[0-9A-Za-z]{0,4}$/, 'Not an ICD-10-CM code shape (e.g. F41.1)'),
    ),
    'Diagnosis codes must be a list',
  ),
  v.minLength(1, 'Add at least one diagnosis code'),
  v.maxLength(12, 'At most 12 diagnosis codes'),
);

const ProgressNoteSchema = v.pipe(
  v.string('Progress note must be text'),
  v.trim(),
  v.nonEmpty('Write a progress note'),
  v.maxLength(20000, 'A progress note is at most 20,000 characters'),
);

const AddOnCodesSchema = v.pipe(
  v.array(CptShape, 'Add-on codes must be a list'),
  v.maxLength(3, 'At most 3 add-on codes'),
);
const PatientLocationSchema = v.picklist(['home', 'other'], 'Patient location must be home or other');
const TelehealthModalitySchema = v.picklist(['video', 'audio'], 'Telehealth modality must be video or audio');

/** Confirm and correct share this: when both actual times are given, the end comes after the start. */
const actualTimesInOrder = (i: { startedAt?: string | undefined; endedAt?: string | undefined }) =>
  !i.startedAt || !i.endedAt || i.endedAt > i.startedAt;
const ACTUAL_TIMES_MESSAGE = 'The actual end must be after the actual start';

export const ConfirmSchema = v.pipe(
  ObjectSchema({
    cptCode: CptShape,
    addOnCodes: v.optional(AddOnCodesSchema, []),
    diagnosisCodes: DiagnosisCodesSchema,
    progressNote: ProgressNoteSchema,
    startedAt: v.optional(InstantSchema('actual start')),
    endedAt: v.optional(InstantSchema('actual end')),
    patientLocation: v.optional(PatientLocationSchema, 'home'),
    telehealthModality: v.optional(TelehealthModalitySchema, 'video'),
  }),
  v.forward(v.partialCheck([['startedAt'], ['endedAt']], actualTimesInOrder, ACTUAL_TIMES_MESSAGE), ['endedAt']),
);
export type ConfirmInput = v.InferInput<typeof ConfirmSchema>;

/** PATCH …/confirmation: the same fields, each optional; what is left out keeps its confirmed value. */
export const ConfirmationPatchSchema = v.pipe(
  ObjectSchema({
    cptCode: v.optional(CptShape),
    addOnCodes: v.optional(AddOnCodesSchema),
    diagnosisCodes: v.optional(DiagnosisCodesSchema),
    progressNote: v.optional(ProgressNoteSchema),
    startedAt: v.optional(InstantSchema('actual start')),
    endedAt: v.optional(InstantSchema('actual end')),
    patientLocation: v.optional(PatientLocationSchema),
    telehealthModality: v.optional(TelehealthModalitySchema),
  }),
  v.forward(v.partialCheck([['startedAt'], ['endedAt']], actualTimesInOrder, ACTUAL_TIMES_MESSAGE), ['endedAt']),
);
export type ConfirmationPatchInput = v.InferInput<typeof ConfirmationPatchSchema>;

/** POST /v1/claims/:id/replacement: the corrected coding; what is left out keeps the confirmation's values. */
export const ClaimReplacementSchema = v.pipe(
  ObjectSchema({
    cptCode: CptShape,
    addOnCodes: v.optional(AddOnCodesSchema),
    diagnosisCodes: DiagnosisCodesSchema,
    progressNote: v.optional(ProgressNoteSchema),
    startedAt: v.optional(InstantSchema('actual start')),
    endedAt: v.optional(InstantSchema('actual end')),
    patientLocation: v.optional(PatientLocationSchema),
    telehealthModality: v.optional(TelehealthModalitySchema),
  }),
  v.forward(v.partialCheck([['startedAt'], ['endedAt']], actualTimesInOrder, ACTUAL_TIMES_MESSAGE), ['endedAt']),
);
export type ClaimReplacementInput = v.InferInput<typeof ClaimReplacementSchema>;

/** POST /v1/claims/:id/status: what the clearinghouse or payer answered. */
export const ClaimStatusSchema = ObjectSchema({
  status: v.picklist(
    ['submitted', 'accepted', 'rejected', 'paid', 'denied'],
    'status must be one of submitted, accepted, rejected, paid, denied',
  ),
  payerClaimNumber: v.optional(
    v.pipe(
      OneLineSchema('The payer claim number must be text', 'the payer claim number'),
      v.nonEmpty('Enter the payer claim number'),
      v.maxLength(50, 'The payer claim number is at most 50 characters'),
    ),
  ),
  paidCents: v.optional(
    v.pipe(
      v.number('paidCents must be a whole number of cents'),
      v.integer('paidCents must be a whole number of cents'),
      v.minValue(0, 'paidCents must be 0 or more'),
      v.maxValue(100_000_000, 'paidCents is at most 100,000,000'),
    ),
  ),
  note: v.optional(
    v.pipe(OneLineSchema('The note must be text', 'the note'), v.maxLength(500, 'The note is at most 500 characters')),
  ),
});
export type ClaimStatusInput = v.InferInput<typeof ClaimStatusSchema>;

export { MAX_CLAIMS_PER_EXPORT };

/** POST /v1/claims/exports: the claims to put in one file (default: every ready claim). */
export const ClaimExportSchema = ObjectSchema({
  claimIds: v.optional(
    v.pipe(
      v.array(IdSchema('a claim'), 'claimIds must be a list of claim ids'),
      v.nonEmpty('claimIds must name at least one claim'),
      v.maxLength(
        MAX_CLAIMS_PER_EXPORT,
        `An export holds at most ${MAX_CLAIMS_PER_EXPORT.toLocaleString('en-US')} claims`,
      ),
    ),
  ),
});
export type ClaimExportInput = v.InferInput<typeof ClaimExportSchema>;

export const CLAIM_STATUSES = [
  'ready',
  'exported',
  'submitted',
  'accepted',
  'rejected',
  'paid',
  'denied',
  'replaced',
  'voided',
] as const;

export const ClaimListQuerySchema = v.object({
  ...ListQuerySchema.entries,
  status: v.optional(v.picklist(CLAIM_STATUSES, `status must be one of ${CLAIM_STATUSES.join(', ')}`)),
});

export const Icd10QuerySchema = v.object({
  q: v.pipe(
    v.string('Enter a code or words to search for'),
    v.trim(),
    v.nonEmpty('Enter a code or words to search for'),
    v.maxLength(100, 'A search is at most 100 characters'),
  ),
  /** The date of service whose code set is searched (default: today where the provider practises). */
  date: v.optional(DateSchema('date of service')),
  /** The name this parameter had before API.md named it `date`: still understood (`date` wins). */
  serviceDate: v.optional(DateSchema('date of service')),
});

/** Unicode code points, not UTF-16 units: an emoji is one character of a note. */
const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** PUT …/note-draft: kept exactly as typed (not trimmed), at most 20,000 characters. */
export const NoteDraftSchema = ObjectSchema({
  text: v.pipe(
    v.string('The draft must be text'),
    v.check((s) => codePoints(s) <= 20000, 'A note draft is at most 20,000 characters'),
  ),
});
