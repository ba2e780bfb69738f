// Confirming a session (POST …/confirm), correcting it within 48 hours (PATCH …/confirmation) and
// reading its progress note. The checks run in API.md's order; the writes are one guarded batch;
// every read a confirmation needs is one round trip.
import type * as v from 'valibot';
import { checkCpt, sameDayProblem } from '../../shared/billing/cpt';
import { checkDiagnosisCodes, codesToLookUp, type Icd10Version } from '../../shared/billing/icd10';
import type { ConfirmationPatchSchema, ConfirmSchema } from '../../shared/schemas/appointment';
import { missingBillingFields } from '../../shared/schemas/billing';
import type { FieldIssue } from '../../shared/schemas/common';
import { localDate, localDateTime } from '../../shared/time/zones';
import * as appointments from '../db/appointments';
import type { AppointmentView } from '../db/appointments';
import { audit, auditReadOf, providerActor } from '../db/audit';
import * as billingProfiles from '../db/billing-profiles';
import type { BillingProfileRow, FeeRow } from '../db/billing-profiles';
import { isGuardFailure, isUniqueViolation, type Statement } from '../db/batch';
import * as claims from '../db/claims';
import type { ClaimRow, ClaimView } from '../db/claims';
import { issueClientLink } from '../db/client-links';
import * as clients from '../db/clients';
import * as icd10 from '../db/codes';
import type { ClientRow } from '../db/clients';
import * as noteDrafts from '../db/note-drafts';
import * as confirmations from '../db/confirmations';
import type { Data } from '../db/data';
import { now, nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { notFound, validationFailed } from '../platform/errors';
import { decryptNote, encryptNote } from '../platform/notes-crypto';
import * as providers from '../db/providers';
import { providerBillingMissing, requireFees } from './billing-profile';
import { claimCoding, type Coding, feeMap, newClaimNumber, patientSnapshot } from './claims';
import type { Deps, Provider, Remember } from './context';
import {
  alreadyConfirmed,
  billingIncomplete,
  claimExported,
  confirmationLocked,
  confirmationWindowClosed,
  invalidCode,
  invalidState,
  payerNotCredentialed,
  providerBillingIncomplete,
  sessionNotEnded,
} from './errors';

const HOUR = 3_600_000;
/** billing.md: confirmable at the latest 30 days after the session ends. */
export const CONFIRM_WINDOW_MS = 30 * 24 * HOUR;
/** billing.md: a confirmation can be corrected for 48 hours, then it is locked. */
export const CORRECTION_WINDOW_MS = 48 * HOUR;

/** The actual times must make a session that has already ended (400, like any other bad field). */
export function checkActualTimes(startedAt: string, endedAt: string): void {
  const issues: FieldIssue[] = [];
  if (endedAt <= startedAt) issues.push({ path: 'endedAt', message: 'The actual end must be after the actual start' });
  else if (endedAt > nowIso()) issues.push({ path: 'endedAt', message: 'The actual end cannot be in the future' });
  if (issues.length > 0) throw validationFailed(issues);
}

/**
 * The ICD-10-CM codes looked up in the batch that reads the session, before the body is validated:
 * the codes the body names (and, for a correction, the stored ones) — so the check costs no round
 * trip of its own. `asked`: the codes looked up, normalised.
 */
export interface DiagnosisLookup {
  asked: string[];
  versions: Icd10Version[];
}

/** Every version of `codes`, from the batch's look-up — or, for a code it did not ask about, one more read. */
async function diagnosisVersions(data: Data, { asked, versions }: DiagnosisLookup, codes: string[]) {
  const missing = codesToLookUp(codes).filter((c) => !asked.includes(c));
  return missing.length === 0 ? versions : [...versions, ...(await data.one(icd10.lookup(missing)))];
}

/**
 * billing.md's code rules on the session's actual minutes, its same-date edits against this client's
 * other claims, and ICD-10-CM against the code set in force on the date of service (the provider's
 * local date). Returns the diagnosis codes normalised.
 */
export function checkCodes(
  provider: Provider,
  coding: Coding,
  others: claims.OtherService[],
  diagnoses: readonly Icd10Version[],
): string[] {
  const minutes = (Date.parse(coding.endedAt) - Date.parse(coding.startedAt)) / 60_000;
  const serviceDate = localDate(coding.startedAt, provider.timeZone);
  const cpt = checkCpt({ cptCode: coding.cptCode, addOnCodes: coding.addOnCodes, minutes });
  const dx = checkDiagnosisCodes(coding.diagnosisCodes, serviceDate, diagnoses);
  const messages = [...cpt, ...dx.problems].map((p) => p.message);
  if (messages.length === 0) {
    const sameDay = others
      .filter((o) => o.serviceDate === serviceDate)
      .map((o) => ({ cptCode: o.cptCode, label: `the ${localDateTime(o.startsAt, provider.timeZone).time} session` }));
    const problem = sameDayProblem(coding.cptCode, serviceDate, sameDay);
    if (problem) messages.push(problem);
  }
  if (messages.length > 0) throw invalidCode(messages);
  return dx.codes;
}

const confirmedView = (
  apt: AppointmentView,
  coding: Coding,
  confirmedAt: string,
  claimId: string,
): AppointmentView => ({
  ...apt,
  status: 'confirmed',
  ics_sequence: apt.ics_sequence + 1,
  cpt_code: coding.cptCode,
  add_on_codes: JSON.stringify(coding.addOnCodes),
  diagnosis_codes: JSON.stringify(coding.diagnosisCodes),
  started_at: coding.startedAt,
  ended_at: coding.endedAt,
  patient_location: coding.patientLocation,
  telehealth_modality: coding.telehealthModality,
  confirmed_at: confirmedAt,
  claim_id: claimId,
});

const result = (provider: Provider, apt: AppointmentView, claim: ClaimView) => ({
  appointment: appointments.toAppointment(apt, provider.telehealthUrl),
  claim: claims.toClaim(claim),
});

/** What confirming a session reads, in one round trip, before its body is looked at. */
export interface Confirmable {
  apt: AppointmentView;
  client: ClientRow;
  /** This client's claims from other sessions (billing.md's same-date edits). */
  otherServices: claims.OtherService[];
  diagnoses: DiagnosisLookup;
  /** The provider's billing profile, fees and carriers: a claim needs them complete and approved. */
  profile: BillingProfileRow | undefined;
  fees: FeeRow[];
  carriers: providers.CarrierRow[];
}

/**
 * The checks that come before the body's (API.md's order): 404, 409, then the 30-day window.
 * `diagnosisCodes`: what the body names (not yet validated), looked up in the same batch.
 */
export async function confirmable(
  data: Data,
  provider: Provider,
  id: string,
  diagnosisCodes: readonly unknown[] = [],
): Promise<Confirmable> {
  const asked = codesToLookUp(diagnosisCodes);
  const [apt, client, otherServices, versions, profile, fees, carriers] = await data.read([
    appointments.find(provider.id, id),
    clients.ofAppointment(provider.id, id),
    claims.otherServices(provider.id, id),
    icd10.lookup(asked),
    billingProfiles.find(provider.id),
    billingProfiles.fees(provider.id),
    providers.carriers(provider.id),
  ]);
  if (!apt || !client) throw notFound('Appointment');
  if (apt.status === 'confirmed') throw alreadyConfirmed();
  if (apt.status !== 'scheduled') {
    throw invalidState(`This session is ${apt.status.replace('_', ' ')}; only a scheduled session can be confirmed.`);
  }
  const t = now().getTime();
  const end = Date.parse(apt.ends_at);
  if (t < end) throw sessionNotEnded();
  if (t > end + CONFIRM_WINDOW_MS) throw confirmationWindowClosed();
  return { apt, client, otherServices, diagnoses: { asked, versions }, profile, fees, carriers };
}

export async function confirm(
  { data, config }: Deps,
  provider: Provider,
  { apt, client, otherServices, diagnoses, profile, fees, carriers }: Confirmable,
  body: v.InferOutput<typeof ConfirmSchema>,
  remember?: Remember,
) {
  const startedAt = body.startedAt ?? apt.starts_at;
  const endedAt = body.endedAt ?? apt.ends_at;
  checkActualTimes(startedAt, endedAt);
  const coding: Coding = {
    cptCode: body.cptCode,
    addOnCodes: body.addOnCodes,
    diagnosisCodes: body.diagnosisCodes,
    startedAt,
    endedAt,
    patientLocation: body.patientLocation,
    telehealthModality: body.telehealthModality,
    locationType: apt.location_type,
  };
  const versions = await diagnosisVersions(data, diagnoses, coding.diagnosisCodes);
  coding.diagnosisCodes = checkCodes(provider, coding, otherServices, versions);
  // API.md's order after the codes: the provider's billing, then the client's, then the carrier.
  const providerMissing = providerBillingMissing(profile, fees, [coding.cptCode, ...coding.addOnCodes]);
  if (providerMissing.length > 0) throw providerBillingIncomplete(providerMissing);
  const missing = missingBillingFields(clients.rowToFields(client));
  if (missing.length > 0) {
    // A fresh self-service link for the client to finish it (saved before answering, so it works).
    const link = await issueClientLink(config, client, provider.id);
    await data.write(link.statements);
    throw billingIncomplete(missing, link.url);
  }
  const carrier = carriers.find((c) => c.payer_id === client.payer_id);
  if (carrier?.status !== 'approved') throw payerNotCredentialed(client.payer_id!, carrier?.name ?? null);

  const at = nowIso();
  const claim: ClaimRow = {
    id: newId('clm'),
    provider_id: provider.id,
    appointment_id: apt.id,
    client_id: client.id,
    payer_id: client.payer_id!,
    claim_number: newClaimNumber(at),
    status: 'ready',
    frequency: 'original',
    replaces_claim_id: null,
    payer_claim_number: null,
    // Charges: the fees read for the check above, times each line's units.
    ...claimCoding(coding, provider.timeZone, feeMap(fees)),
    rendering_npi: provider.npi,
    member_id: client.member_id!,
    group_number: client.group_number,
    patient: JSON.stringify(patientSnapshot(client)),
    export_id: null,
    paid_cents: null,
    created_at: at,
    updated_at: at,
  };
  const view: ClaimView = { ...claim, payer_name: carrier.name, payer_code: carrier.payer_code };
  const answer = result(provider, confirmedView(apt, coding, at, claim.id), view);
  const actor = providerActor(provider.id);
  const statements: Statement[] = [
    ...(remember?.(200, answer) ?? []),
    confirmations.insert({
      appointment_id: apt.id,
      provider_id: provider.id,
      cpt_code: coding.cptCode,
      add_on_codes: JSON.stringify(coding.addOnCodes),
      diagnosis_codes: JSON.stringify(coding.diagnosisCodes),
      progress_note: await encryptNote(config.NOTES_KEY, apt.id, body.progressNote),
      started_at: startedAt,
      ended_at: endedAt,
      patient_location: coding.patientLocation,
      telehealth_modality: coding.telehealthModality,
      confirmed_at: at,
      updated_at: at,
      revision: newId('rev'),
    }),
    appointments.markConfirmed(provider.id, apt.id, at, apt.ics_sequence),
    // Cancelled, marked a no-show or moved meanwhile: the update above did nothing, so nothing may be written.
    appointments.confirmedGuard(apt.id, apt.ics_sequence),
    claims.insert(claim),
    // The draft became the note.
    noteDrafts.remove(provider.id, apt.id),
    audit({ ...actor, action: 'appointment.confirm', entityType: 'appointment', entityId: apt.id }),
    audit({ ...actor, action: 'note.write', entityType: 'appointment', entityId: apt.id }),
    audit({ ...actor, action: 'claim.create', entityType: 'claim', entityId: claim.id }),
  ];
  try {
    await data.write(statements);
  } catch (err) {
    if (isUniqueViolation(err, 'confirmations')) throw alreadyConfirmed();
    if (isGuardFailure(err)) {
      const current = await data.one(appointments.find(provider.id, apt.id));
      if (current?.status === 'confirmed') throw alreadyConfirmed();
      if (current?.status === 'scheduled') {
        throw invalidState('This session was changed while it was being confirmed; reload it and confirm again.');
      }
      throw invalidState(
        `This session is ${(current?.status ?? 'gone').replace('_', ' ')}; only a scheduled session can be confirmed.`,
      );
    }
    throw err;
  }
  return answer;
}

/** API.md: once the claim has left `ready`, corrections go through a replacement or void claim. */
const claimLeftReady = (claim: { id: string; status: string; frequency: string }) =>
  claimExported(
    claim.frequency === 'void'
      ? `This session's claim ${claim.id} has been voided; it can no longer be corrected in place.`
      : `The claim for this session is already ${claim.status}; send a corrected claim with POST /v1/claims/${claim.id}/replacement, or withdraw it with POST /v1/claims/${claim.id}/void.`,
  );

/** What correcting a confirmation reads, in one round trip, before its body is looked at. */
export interface Correctable {
  apt: AppointmentView;
  conf: confirmations.ConfirmationRow;
  claim: ClaimView;
  otherServices: claims.OtherService[];
  fees: FeeRow[];
  /** Confirmations older than this are locked. */
  cutoff: string;
  diagnoses: DiagnosisLookup;
}

/** `diagnosisCodes`: what the body names (not yet validated); the stored codes are looked up too. */
export async function correctable(
  data: Data,
  provider: Provider,
  id: string,
  diagnosisCodes: readonly unknown[] = [],
): Promise<Correctable> {
  const bodyCodes = codesToLookUp(diagnosisCodes);
  const [apt, conf, claim, otherServices, versions, fees] = await data.read([
    appointments.find(provider.id, id),
    confirmations.ofAppointment(provider.id, id),
    claims.ofAppointment(provider.id, id),
    claims.otherServices(provider.id, id),
    icd10.lookup(bodyCodes, { providerId: provider.id, appointmentId: id }),
    billingProfiles.fees(provider.id),
  ]);
  if (!apt) throw notFound('Appointment');
  if (apt.status !== 'confirmed' || !conf || !claim) {
    throw invalidState('This session is not confirmed; confirm it with POST …/confirm.');
  }
  const cutoff = new Date(now().getTime() - CORRECTION_WINDOW_MS).toISOString();
  if (conf.confirmed_at < cutoff) {
    throw confirmationLocked('This confirmation is more than 48 hours old and can no longer be corrected.');
  }
  if (claim.status !== 'ready' || claim.frequency === 'void') throw claimLeftReady(claim);
  const stored = codesToLookUp(JSON.parse(conf.diagnosis_codes) as string[]);
  const asked = [...new Set([...bodyCodes, ...stored])];
  return { apt, conf, claim, otherServices, fees, cutoff, diagnoses: { asked, versions } };
}

export async function correct(
  { data, config }: Deps,
  provider: Provider,
  { apt, conf, claim, otherServices, fees, cutoff, diagnoses }: Correctable,
  body: v.InferOutput<typeof ConfirmationPatchSchema>,
) {
  const startedAt = body.startedAt ?? conf.started_at;
  const endedAt = body.endedAt ?? conf.ended_at;
  checkActualTimes(startedAt, endedAt);
  const coding: Coding = {
    cptCode: body.cptCode ?? conf.cpt_code,
    addOnCodes: body.addOnCodes ?? (JSON.parse(conf.add_on_codes) as string[]),
    diagnosisCodes: body.diagnosisCodes ?? (JSON.parse(conf.diagnosis_codes) as string[]),
    startedAt,
    endedAt,
    patientLocation: body.patientLocation ?? conf.patient_location,
    telehealthModality: body.telehealthModality ?? conf.telehealth_modality,
    locationType: apt.location_type,
  };
  const versions = await diagnosisVersions(data, diagnoses, coding.diagnosisCodes);
  coding.diagnosisCodes = checkCodes(provider, coding, otherServices, versions);
  requireFees(fees, [coding.cptCode, ...coding.addOnCodes]);

  const at = nowIso();
  const actor = providerActor(provider.id);
  const recoded = { ...claimCoding(coding, provider.timeZone, feeMap(fees)), updated_at: at };
  const revision = newId('rev');
  const statements: Statement[] = [
    confirmations.correct(
      apt.id,
      cutoff,
      conf.revision,
      await recodedConfirmation(config, apt.id, coding, body.progressNote, revision, at),
    ),
    // The claim keeps its payer, member id and patient snapshot (as of confirmation); only its coding changes.
    claims.recode(claim.id, recoded),
    // Corrected by another request, locked or exported since the read: neither half may change.
    confirmations.correctedGuard(apt.id, cutoff, revision, claim.id),
    audit({ ...actor, action: 'confirmation.update', entityType: 'appointment', entityId: apt.id }),
    audit({ ...actor, action: 'claim.update', entityType: 'claim', entityId: claim.id }),
  ];
  if (body.progressNote !== undefined) {
    statements.push(audit({ ...actor, action: 'note.write', entityType: 'appointment', entityId: apt.id }));
  }
  try {
    await data.write(statements);
  } catch (err) {
    if (isGuardFailure(err)) {
      const [stored, claimNow] = await data.read([
        confirmations.ofAppointment(provider.id, apt.id),
        claims.ofAppointment(provider.id, apt.id),
      ]);
      if (stored && stored.confirmed_at >= cutoff && claimNow?.id === claim.id && claimNow.status === 'ready') {
        // Two corrections built from the same read: the first one stands, this one changed nothing.
        throw invalidState('This confirmation was corrected by another request meanwhile; reload it and try again.');
      }
      if (claimNow && (claimNow.id !== claim.id || claimNow.status !== 'ready')) throw claimLeftReady(claimNow);
      throw confirmationLocked('This confirmation was locked meanwhile; it can no longer be corrected.');
    }
    throw err;
  }
  return result(provider, confirmedView(apt, coding, conf.confirmed_at, claim.id), { ...claim, ...recoded });
}

/**
 * What a correction or a replacement writes onto the confirmation: the new coding and actual times,
 * a new revision, and the progress note (sealed) only when one was sent.
 */
export async function recodedConfirmation(
  config: Deps['config'],
  appointmentId: string,
  coding: Coding,
  progressNote: string | undefined,
  revision: string,
  at: string,
) {
  return {
    revision,
    cpt_code: coding.cptCode,
    add_on_codes: JSON.stringify(coding.addOnCodes),
    diagnosis_codes: JSON.stringify(coding.diagnosisCodes),
    ...(progressNote === undefined
      ? {}
      : { progress_note: await encryptNote(config.NOTES_KEY, appointmentId, progressNote) }),
    started_at: coding.startedAt,
    ended_at: coding.endedAt,
    patient_location: coding.patientLocation,
    telehealth_modality: coding.telehealthModality,
    updated_at: at,
  };
}

/** GET …/note: the only place a progress note ever leaves the database, decrypted. */
export async function readNote({ data, config }: Deps, provider: Provider, id: string) {
  const [conf] = await data.read(
    [confirmations.ofAppointment(provider.id, id)],
    [
      auditReadOf(
        { ...providerActor(provider.id), action: 'note.read', entityType: 'appointment', entityId: id },
        'confirmations',
      ),
    ],
  );
  if (!conf) {
    // Another provider's appointment and an unconfirmed one of one's own read the same: 404.
    throw notFound(await noteNotFoundWhat(data, provider, id));
  }
  const progressNote = await decryptNote(config.NOTES_KEY, id, conf.progress_note);
  return { appointmentId: id, progressNote, updatedAt: conf.updated_at };
}

/** Which 404 a missing note is: the appointment's (unknown, or another provider's) or the note's. */
async function noteNotFoundWhat(data: Data, provider: Provider, id: string): Promise<string> {
  return (await data.one(appointments.find(provider.id, id))) ? 'Progress note' : 'Appointment';
}
