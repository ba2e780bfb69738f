// Confirming a session (POST …/confirm), correcting it within 48 hours (PATCH …/confirmation) and
// reading its progress note. The checks run in API.md's order; the writes are one guarded batch.
import type { Context } from 'hono';
import { sql } from 'kysely';
import { checkCpt } from '../../shared/billing/cpt';
import { checkDiagnosisCodes } from '../../shared/billing/icd10';
import { ConfirmationPatchSchema, ConfirmSchema } from '../../shared/schemas/appointment';
import { missingBillingFields } from '../../shared/schemas/billing';
import type { FieldIssue } from '../../shared/schemas/common';
import { localDate } from '../../shared/time/zones';
import { now, nowIso } from '../platform/clock';
import { type AppointmentView, findAppointment, guard, GUARD_FAILED, toAppointment } from '../db/appointments';
import { runBatch, type Statement } from '../db/batch';
import { type ClaimRow, toClaim } from '../db/claims';
import { type ClientRow, findClient, rowToFields } from '../db/clients';
import type { AppEnv } from '../env';
import { notFound, validationFailed } from '../platform/errors';
import { auditQuery, auditRead, providerActor } from '../db/audit';
import { jsonBody } from '../routes/body';
import { claimCoding, type Coding, patientSnapshot } from './claims';
import { issueClientLink } from '../db/client-links';
import { newId } from '../platform/crypto';
import { decryptNote, encryptNote } from '../platform/notes-crypto';
import {
  alreadyConfirmed,
  billingIncomplete,
  confirmationLocked,
  confirmationWindowClosed,
  invalidCode,
  invalidState,
  sessionNotEnded,
} from './errors';

const HOUR = 3_600_000;
/** billing.md: confirmable at the latest 30 days after the session ends. */
export const CONFIRM_WINDOW_MS = 30 * 24 * HOUR;
/** billing.md: a confirmation can be corrected for 48 hours, then it is locked. */
export const CORRECTION_WINDOW_MS = 48 * HOUR;

const isUniqueViolation = (err: unknown) => err instanceof Error && /UNIQUE constraint failed/i.test(err.message);

/** The actual times must make a session that has already ended (400, like any other bad field). */
function checkActualTimes(startedAt: string, endedAt: string): void {
  const issues: FieldIssue[] = [];
  if (endedAt <= startedAt) issues.push({ path: 'endedAt', message: 'The actual end must be after the actual start' });
  else if (endedAt > nowIso()) issues.push({ path: 'endedAt', message: 'The actual end cannot be in the future' });
  if (issues.length > 0) throw validationFailed(issues);
}

/**
 * billing.md's code rules on the session's actual minutes, and ICD-10-CM against the code set in
 * force on the date of service (the provider's local date). Returns the diagnosis codes normalised.
 */
async function checkCodes(
  c: Context<AppEnv>,
  apt: AppointmentView,
  coding: Omit<Coding, 'diagnosisCodes'> & { diagnosisCodes: string[] },
): Promise<string[]> {
  const minutes = (Date.parse(coding.endedAt) - Date.parse(coding.startedAt)) / 60_000;
  const serviceDate = localDate(coding.startedAt, c.var.provider.timeZone);
  const cpt = checkCpt({ cptCode: coding.cptCode, addOnCodes: coding.addOnCodes, minutes });
  const dx = checkDiagnosisCodes(coding.diagnosisCodes, serviceDate);
  const messages = [...cpt, ...dx.problems].map((p) => p.message);
  if (messages.length === 0 && coding.cptCode === '90791') {
    // billing.md: the diagnostic evaluation is billed once per day (per client).
    const other = await c.var.db
      .selectFrom('claims')
      .select('id')
      .where('provider_id', '=', c.var.provider.id)
      .where('client_id', '=', apt.client_id)
      .where('service_date', '=', serviceDate)
      .where('cpt_code', '=', '90791')
      .where('appointment_id', '!=', apt.id)
      .executeTakeFirst();
    if (other)
      messages.push(
        `90791 (diagnostic evaluation) is billed once per day; this client already has one on ${serviceDate}.`,
      );
  }
  if (messages.length > 0) throw invalidCode(messages);
  return dx.codes;
}

async function billedClient(c: Context<AppEnv>, apt: AppointmentView): Promise<ClientRow> {
  const client = await findClient(c.var.db, c.var.provider.id, apt.client_id);
  if (!client) throw notFound('Client');
  const missing = missingBillingFields(rowToFields(client));
  if (missing.length > 0) {
    // A fresh self-service link for the client to finish it (saved before answering, so it works).
    const link = await issueClientLink(c.var.db, c.env, client.id, c.var.provider.id);
    await c.var.db.executeQuery(link.query);
    throw billingIncomplete(missing, link.url);
  }
  return client;
}

async function appointmentAndClaim(c: Context<AppEnv>, id: string) {
  const apt = (await findAppointment(c.var.db, c.var.provider.id, id))!;
  const claim = await c.var.db
    .selectFrom('claims')
    .selectAll()
    .where('appointment_id', '=', id)
    .executeTakeFirstOrThrow();
  return { appointment: toAppointment(apt, c.var.provider.telehealthUrl), claim: toClaim(claim) };
}

export async function confirmAppointment(c: Context<AppEnv>, apt: AppointmentView) {
  const db = c.var.db;
  const provider = c.var.provider;
  if (apt.status === 'confirmed') throw alreadyConfirmed();
  if (apt.status !== 'scheduled')
    throw invalidState(`This session is ${apt.status.replace('_', ' ')}; only a scheduled session can be confirmed.`);
  const t = now().getTime();
  const end = Date.parse(apt.ends_at);
  if (t < end) throw sessionNotEnded();
  if (t > end + CONFIRM_WINDOW_MS) throw confirmationWindowClosed();

  const body = await jsonBody(c, ConfirmSchema);
  const startedAt = body.startedAt ?? apt.starts_at;
  const endedAt = body.endedAt ?? apt.ends_at;
  checkActualTimes(startedAt, endedAt);
  const coding = {
    cptCode: body.cptCode,
    addOnCodes: body.addOnCodes,
    diagnosisCodes: body.diagnosisCodes,
    startedAt,
    endedAt,
    patientLocation: body.patientLocation,
    locationType: apt.location_type,
  };
  coding.diagnosisCodes = await checkCodes(c, apt, coding);
  const client = await billedClient(c, apt);

  const at = nowIso();
  const claim: ClaimRow = {
    id: newId('clm'),
    provider_id: provider.id,
    appointment_id: apt.id,
    client_id: client.id,
    payer_id: client.payer_id!,
    status: 'ready',
    ...claimCoding(coding, provider.timeZone),
    rendering_npi: provider.npi,
    member_id: client.member_id!,
    group_number: client.group_number,
    patient: JSON.stringify(patientSnapshot(client)),
    created_at: at,
    updated_at: at,
  };
  const actor = providerActor(provider.id);
  const statements: Statement[] = [
    // The primary key on appointment_id: of two confirms at once, the second batch fails here.
    db
      .insertInto('confirmations')
      .values({
        appointment_id: apt.id,
        provider_id: provider.id,
        cpt_code: coding.cptCode,
        add_on_codes: JSON.stringify(coding.addOnCodes),
        diagnosis_codes: JSON.stringify(coding.diagnosisCodes),
        progress_note: await encryptNote(c.env.NOTES_KEY, apt.id, body.progressNote),
        started_at: startedAt,
        ended_at: endedAt,
        patient_location: coding.patientLocation,
        confirmed_at: at,
        updated_at: at,
      })
      .compile(),
    db
      .updateTable('appointments')
      .set((eb) => ({ status: 'confirmed', updated_at: at, ics_sequence: eb('ics_sequence', '+', 1) }))
      .where('id', '=', apt.id)
      .where('provider_id', '=', provider.id)
      .where('status', '=', 'scheduled')
      .compile(),
    // Cancelled or marked a no-show meanwhile: the update above did nothing, so nothing may be written.
    guard(db, sql`EXISTS (SELECT 1 FROM appointments WHERE id = ${apt.id} AND status = 'confirmed')`),
    db.insertInto('claims').values(claim).compile(),
    auditQuery(db, { ...actor, action: 'appointment.confirm', entityType: 'appointment', entityId: apt.id }),
    auditQuery(db, { ...actor, action: 'note.write', entityType: 'appointment', entityId: apt.id }),
    auditQuery(db, { ...actor, action: 'claim.create', entityType: 'claim', entityId: claim.id }),
  ];
  try {
    await runBatch(c.env.DB, statements);
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadyConfirmed();
    if (err instanceof Error && GUARD_FAILED.test(err.message)) {
      const current = await findAppointment(db, provider.id, apt.id);
      if (current?.status === 'confirmed') throw alreadyConfirmed();
      throw invalidState(
        `This session is ${(current?.status ?? 'gone').replace('_', ' ')}; only a scheduled session can be confirmed.`,
      );
    }
    throw err;
  }
  return appointmentAndClaim(c, apt.id);
}

export async function correctConfirmation(c: Context<AppEnv>, apt: AppointmentView) {
  const db = c.var.db;
  const provider = c.var.provider;
  if (apt.status !== 'confirmed') throw invalidState('This session is not confirmed; confirm it with POST …/confirm.');
  const conf = await db
    .selectFrom('confirmations')
    .selectAll()
    .where('appointment_id', '=', apt.id)
    .executeTakeFirstOrThrow();
  const claim = await db
    .selectFrom('claims')
    .selectAll()
    .where('appointment_id', '=', apt.id)
    .executeTakeFirstOrThrow();
  const cutoff = new Date(now().getTime() - CORRECTION_WINDOW_MS).toISOString();
  if (conf.confirmed_at < cutoff)
    throw confirmationLocked('This confirmation is more than 48 hours old and can no longer be corrected.');
  if (claim.status !== 'ready')
    throw confirmationLocked(
      `The claim for this session is already ${claim.status}; the confirmation can no longer be corrected.`,
    );

  const body = await jsonBody(c, ConfirmationPatchSchema);
  const startedAt = body.startedAt ?? conf.started_at;
  const endedAt = body.endedAt ?? conf.ended_at;
  checkActualTimes(startedAt, endedAt);
  const coding = {
    cptCode: body.cptCode ?? conf.cpt_code,
    addOnCodes: body.addOnCodes ?? (JSON.parse(conf.add_on_codes) as string[]),
    diagnosisCodes: body.diagnosisCodes ?? (JSON.parse(conf.diagnosis_codes) as string[]),
    startedAt,
    endedAt,
    patientLocation: body.patientLocation ?? conf.patient_location,
    locationType: apt.location_type,
  };
  coding.diagnosisCodes = await checkCodes(c, apt, coding);

  const at = nowIso();
  const actor = providerActor(provider.id);
  const statements: Statement[] = [
    db
      .updateTable('confirmations')
      .set({
        cpt_code: coding.cptCode,
        add_on_codes: JSON.stringify(coding.addOnCodes),
        diagnosis_codes: JSON.stringify(coding.diagnosisCodes),
        ...(body.progressNote === undefined
          ? {}
          : { progress_note: await encryptNote(c.env.NOTES_KEY, apt.id, body.progressNote) }),
        started_at: startedAt,
        ended_at: endedAt,
        patient_location: coding.patientLocation,
        updated_at: at,
      })
      .where('appointment_id', '=', apt.id)
      .where('confirmed_at', '>=', cutoff)
      .compile(),
    // The claim keeps its payer, member id and patient snapshot (as of confirmation); only its coding changes.
    db
      .updateTable('claims')
      .set({ ...claimCoding(coding, provider.timeZone), updated_at: at })
      .where('appointment_id', '=', apt.id)
      .where('status', '=', 'ready')
      .compile(),
    // Locked or submitted meanwhile: neither half may change.
    guard(
      db,
      sql`EXISTS (SELECT 1 FROM confirmations WHERE appointment_id = ${apt.id} AND confirmed_at >= ${cutoff})
      AND EXISTS (SELECT 1 FROM claims WHERE appointment_id = ${apt.id} AND status = 'ready')`,
    ),
    auditQuery(db, { ...actor, action: 'confirmation.update', entityType: 'appointment', entityId: apt.id }),
    auditQuery(db, { ...actor, action: 'claim.update', entityType: 'claim', entityId: claim.id }),
  ];
  if (body.progressNote !== undefined)
    statements.push(auditQuery(db, { ...actor, action: 'note.write', entityType: 'appointment', entityId: apt.id }));
  try {
    await runBatch(c.env.DB, statements);
  } catch (err) {
    if (err instanceof Error && GUARD_FAILED.test(err.message))
      throw confirmationLocked(
        'This confirmation was locked or its claim submitted meanwhile; it can no longer be corrected.',
      );
    throw err;
  }
  return appointmentAndClaim(c, apt.id);
}

/** GET …/note: the only place a progress note ever leaves the database, decrypted. */
export async function readNote(c: Context<AppEnv>, apt: AppointmentView) {
  const conf = await c.var.db
    .selectFrom('confirmations')
    .select(['progress_note', 'updated_at'])
    .where('appointment_id', '=', apt.id)
    .where('provider_id', '=', c.var.provider.id)
    .executeTakeFirst();
  if (!conf) throw notFound('Progress note');
  const progressNote = await decryptNote(c.env.NOTES_KEY, apt.id, conf.progress_note);
  await auditRead(c.var.db, {
    ...providerActor(c.var.provider.id),
    action: 'note.read',
    entityType: 'appointment',
    entityId: apt.id,
  });
  return { appointmentId: apt.id, progressNote, updatedAt: conf.updated_at };
}
