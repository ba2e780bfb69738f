// A claim after confirmation (API.md "Claims"): what the clearinghouse or payer answered
// (POST …/status), a corrected claim (replacement, frequency 7) and a void (frequency 8).
// Each is one read batch keyed by the claim id and one guarded write batch.
import type * as v from 'valibot';
import type { ClaimReport } from '../../shared/api-types';
import type { ClaimReplacementSchema, ClaimStatusSchema } from '../../shared/schemas/appointment';
import { codesToLookUp } from '../../shared/billing/icd10';
import * as appointments from '../db/appointments';
import * as icd10 from '../db/codes';
import { audit, providerActor } from '../db/audit';
import * as billingProfiles from '../db/billing-profiles';
import { isGuardFailure, isUniqueViolation, type Statement } from '../db/batch';
import * as claims from '../db/claims';
import type { ClaimRow, ClaimView } from '../db/claims';
import * as confirmations from '../db/confirmations';
import type { Data } from '../db/data';
import { nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { notFound, validationFailed } from '../platform/errors';
import { requireFees } from './billing-profile';
import { claimCoding, type Coding, feeMap, newClaimNumber } from './claims';
import { checkActualTimes, checkCodes, recodedConfirmation } from './confirm';
import type { Deps, Provider } from './context';
import { invalidState } from './errors';

type ClaimStatus = ClaimRow['status'];
type Reported = v.InferOutput<typeof ClaimStatusSchema>['status'];

/** API.md's transitions a status report may make: from → the statuses it may become. */
export const TRANSITIONS: Record<Reported, readonly ClaimStatus[]> = {
  submitted: ['exported'],
  accepted: ['submitted'],
  rejected: ['submitted'],
  paid: ['accepted'],
  denied: ['accepted'],
};

/** After a guarded write failed: the claim changed since it was read. */
const changedMeanwhile = () =>
  invalidState('This claim was changed by another request meanwhile; reload it and try again.');

/** Records what the clearinghouse or payer answered; answers the claim with every report, this one last. */
export async function reportStatus(
  { data }: Deps,
  provider: Provider,
  id: string,
  body: v.InferOutput<typeof ClaimStatusSchema>,
): Promise<{ claim: ClaimView; reports: ClaimReport[] }> {
  const [claim, earlier] = await data.read([claims.find(provider.id, id), claims.reportsOf(provider.id, id)]);
  if (!claim) throw notFound('Claim');
  if (!TRANSITIONS[body.status].includes(claim.status)) {
    throw invalidState(
      `This claim is ${claim.status}; it can become ${body.status} only from ${TRANSITIONS[body.status].join(' or ')}.`,
    );
  }
  if (body.paidCents !== undefined && body.status !== 'paid') {
    throw validationFailed([{ path: 'paidCents', message: 'paidCents goes with status paid' }]);
  }
  const at = nowIso();
  const set = {
    status: body.status,
    updated_at: at,
    ...(body.payerClaimNumber === undefined ? {} : { payer_claim_number: body.payerClaimNumber }),
    ...(body.status === 'paid' ? { paid_cents: body.paidCents ?? claim.total_cents } : {}),
  };
  const report = {
    claim_id: id,
    provider_id: provider.id,
    status: body.status,
    payer_claim_number: body.payerClaimNumber ?? null,
    paid_cents: body.status === 'paid' ? set.paid_cents! : null,
    note: body.note ?? null,
    created_at: at,
  };
  try {
    await data.write([
      claims.transition(provider.id, id, claim.status, set),
      claims.statusGuard(id, body.status, at),
      claims.insertReport(report),
      audit({ ...providerActor(provider.id), action: `claim.${body.status}`, entityType: 'claim', entityId: id }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) throw changedMeanwhile();
    throw err;
  }
  const reported: ClaimReport = {
    status: report.status,
    payerClaimNumber: report.payer_claim_number,
    paidCents: report.paid_cents,
    note: report.note,
    at,
  };
  return { claim: { ...claim, ...set }, reports: [...earlier, reported] };
}

/**
 * What a replacement or void reads in one round trip: the claim, its session, confirmation, fees, the
 * session's current claim and the ICD-10-CM versions of the body's diagnosis codes.
 */
async function replaceable(data: Data, provider: Provider, id: string, diagnosisCodes: readonly string[] = []) {
  const [claim, apt, conf, otherServices, fees, current, versions] = await data.read([
    claims.find(provider.id, id),
    appointments.ofClaim(provider.id, id),
    confirmations.ofClaim(provider.id, id),
    claims.otherServicesOfClaim(provider.id, id),
    billingProfiles.fees(provider.id),
    // The session's current claim: only that one may be replaced or voided.
    claims.currentOfClaim(provider.id, id),
    icd10.lookup(codesToLookUp(diagnosisCodes)),
  ]);
  if (!claim || !apt || !conf) throw notFound('Claim');
  return { claim, apt, conf, otherServices, fees, current, versions };
}

function supersedable(claim: ClaimView, current: ClaimView | undefined, what: 'replaced' | 'voided'): void {
  if (claim.status === 'replaced' || claim.status === 'voided') {
    throw invalidState(`This claim is already ${claim.status}; it cannot be ${what}.`);
  }
  if (claim.frequency === 'void') throw invalidState(`This is a void claim; it cannot be ${what}.`);
  if (current && current.id !== claim.id) {
    throw invalidState(`Claim ${current.id} has superseded this one; it cannot be ${what}.`);
  }
}

export async function replaceClaim(
  { data, config }: Deps,
  provider: Provider,
  id: string,
  body: v.InferOutput<typeof ClaimReplacementSchema>,
): Promise<ClaimView> {
  const { claim, apt, conf, otherServices, fees, current, versions } = await replaceable(
    data,
    provider,
    id,
    body.diagnosisCodes,
  );
  supersedable(claim, current, 'replaced');
  if (claim.status === 'ready') {
    throw invalidState(
      'This claim has not left ready; correct the confirmation with PATCH /v1/appointments/:id/confirmation instead.',
    );
  }
  const startedAt = body.startedAt ?? conf.started_at;
  const endedAt = body.endedAt ?? conf.ended_at;
  checkActualTimes(startedAt, endedAt);
  const coding: Coding = {
    cptCode: body.cptCode,
    addOnCodes: body.addOnCodes ?? (JSON.parse(conf.add_on_codes) as string[]),
    diagnosisCodes: body.diagnosisCodes,
    startedAt,
    endedAt,
    patientLocation: body.patientLocation ?? conf.patient_location,
    telehealthModality: body.telehealthModality ?? conf.telehealth_modality,
    locationType: apt.location_type,
  };
  coding.diagnosisCodes = checkCodes(provider, coding, otherServices, versions);
  requireFees(fees, [coding.cptCode, ...coding.addOnCodes]);

  const at = nowIso();
  const replacement: ClaimRow = {
    ...stripView(claim),
    id: newId('clm'),
    claim_number: newClaimNumber(at),
    status: 'ready',
    frequency: 'replacement',
    replaces_claim_id: claim.id,
    payer_claim_number: claim.payer_claim_number,
    ...claimCoding(coding, provider.timeZone, feeMap(fees)),
    export_id: null,
    paid_cents: null,
    created_at: at,
    updated_at: at,
  };
  const revision = newId('rev');
  const actor = providerActor(provider.id);
  const statements: Statement[] = [
    claims.insert(replacement),
    claims.transition(provider.id, claim.id, claim.status, { status: 'replaced', updated_at: at }),
    claims.statusGuard(claim.id, 'replaced', at),
    // The session's confirmation shows the corrected codes (whatever its age: the claim carries them).
    confirmations.correct(
      apt.id,
      '',
      conf.revision,
      await recodedConfirmation(config, apt.id, coding, body.progressNote, revision, at),
    ),
    confirmations.correctedGuard(apt.id, '', revision, replacement.id),
    audit({ ...actor, action: 'claim.replace', entityType: 'claim', entityId: claim.id }),
    audit({ ...actor, action: 'claim.create', entityType: 'claim', entityId: replacement.id }),
    audit({ ...actor, action: 'confirmation.update', entityType: 'appointment', entityId: apt.id }),
  ];
  if (body.progressNote !== undefined) {
    statements.push(audit({ ...actor, action: 'note.write', entityType: 'appointment', entityId: apt.id }));
  }
  await writeSuperseding(data, statements);
  return withPayer(replacement, claim);
}

/** A ready claim is simply voided (nothing was sent); a sent one gets a void claim (frequency 8). */
export async function voidClaim(
  { data }: Deps,
  provider: Provider,
  id: string,
): Promise<{ status: 200 | 201; claim: ClaimView }> {
  const { claim, current } = await replaceable(data, provider, id);
  supersedable(claim, current, 'voided');
  const at = nowIso();
  const actor = providerActor(provider.id);
  const voided = claims.transition(provider.id, claim.id, claim.status, { status: 'voided', updated_at: at });
  if (claim.status === 'ready') {
    await writeSuperseding(data, [
      voided,
      claims.statusGuard(claim.id, 'voided', at),
      audit({ ...actor, action: 'claim.void', entityType: 'claim', entityId: claim.id }),
    ]);
    return { status: 200, claim: { ...claim, status: 'voided', updated_at: at } };
  }
  const voidRow: ClaimRow = {
    ...stripView(claim),
    id: newId('clm'),
    claim_number: newClaimNumber(at),
    status: 'ready',
    frequency: 'void',
    replaces_claim_id: claim.id,
    payer_claim_number: claim.payer_claim_number,
    export_id: null,
    paid_cents: null,
    created_at: at,
    updated_at: at,
  };
  await writeSuperseding(data, [
    claims.insert(voidRow),
    voided,
    claims.statusGuard(claim.id, 'voided', at),
    audit({ ...actor, action: 'claim.void', entityType: 'claim', entityId: claim.id }),
    audit({ ...actor, action: 'claim.create', entityType: 'claim', entityId: voidRow.id }),
  ]);
  return { status: 201, claim: withPayer(voidRow, claim) };
}

async function writeSuperseding(data: Data, statements: Statement[]): Promise<void> {
  try {
    await data.write(statements);
  } catch (err) {
    // Another replacement or void of this claim won (claims_replaces), or its status moved.
    if (isGuardFailure(err) || isUniqueViolation(err, 'claims')) throw changedMeanwhile();
    throw err;
  }
}

function stripView(c: ClaimView): ClaimRow {
  const { payer_name: _n, payer_code: _c, ...row } = c;
  return row;
}

const withPayer = (row: ClaimRow, from: ClaimView): ClaimView => ({
  ...row,
  payer_name: from.payer_name,
  payer_code: from.payer_code,
});
