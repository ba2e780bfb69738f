// Building the claim a clearinghouse needs (CMS-1500 / 837P) from a confirmed session.
// Rules: docs/billing.md ("Place of service and modifiers") and the CPT table in shared/billing/cpt.ts.
import { unitsFor } from '../../shared/billing/cpt';
import { localDate } from '../../shared/time/zones';
import type { ClaimLine, Page, PatientSnapshot } from '../../shared/api-types';
import { audit, auditReadOf, providerActor } from '../db/audit';
import * as claims from '../db/claims';
import type { ClaimOut, ClaimRow } from '../db/claims';
import type { ClientRow } from '../db/clients';
import type { Data } from '../db/data';
import { pageOf } from '../db/paging';
import { notFound } from '../platform/errors';

export type { ClaimLine, PatientSnapshot };

/** POS 11 office; telehealth: 10 when the patient is at home (the default), 02 anywhere else. */
export function placeOfService(location: 'office' | 'telehealth', patientLocation: 'home' | 'other'): string {
  if (location === 'office') return '11';
  return patientLocation === 'home' ? '10' : '02';
}

/** Telehealth: modifier 95 for live audio-video, 93 for audio only (billing.md); office: none. */
export function modifiersFor(location: 'office' | 'telehealth', modality: 'video' | 'audio' = 'video'): string[] {
  if (location !== 'telehealth') return [];
  return modality === 'audio' ? ['93'] : ['95'];
}

// Each line points at the claim's diagnoses by 1-based position (API.md), at most four, primary first.
export function diagnosisPointers(diagnosisCount: number): number[] {
  return Array.from({ length: Math.min(4, diagnosisCount) }, (_, i) => i + 1);
}

/** The client's demographics as of confirmation (callers have checked billing is complete). */
export function patientSnapshot(c: ClientRow): PatientSnapshot {
  return {
    legalFirstName: c.legal_first_name!,
    legalLastName: c.legal_last_name!,
    dateOfBirth: c.date_of_birth!,
    sex: c.sex!,
    phone: c.phone!,
    address: {
      line1: c.address_line1!,
      line2: c.address_line2,
      city: c.address_city!,
      state: c.address_state!,
      postalCode: c.address_postal_code!,
    },
    relationship: c.relationship!,
    subscriber:
      c.relationship === 'self'
        ? null
        : {
            firstName: c.subscriber_first_name!,
            lastName: c.subscriber_last_name!,
            dateOfBirth: c.subscriber_date_of_birth!,
          },
  };
}

/**
 * A claim number for CLM01 (API.md: ≤ 20 characters, unique per provider): the creation date YYMMDD
 * and 6 random characters (34^6 ≈ 1.5 billion a day; the unique index claims_provider_number backs it).
 */
export function newClaimNumber(at: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const random = crypto.getRandomValues(new Uint8Array(6));
  let tail = '';
  for (const b of random) tail += alphabet[b % alphabet.length];
  return `${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}-${tail}`;
}

export const feeMap = (fees: { cpt_code: string; amount_cents: number }[]): Fees =>
  new Map(fees.map((f) => [f.cpt_code, f.amount_cents]));

export interface Coding {
  cptCode: string;
  addOnCodes: string[];
  diagnosisCodes: string[];
  startedAt: string;
  endedAt: string;
  patientLocation: 'home' | 'other';
  telehealthModality: 'video' | 'audio';
  locationType: 'office' | 'telehealth';
}

/** The provider's fee per CPT code, in cents (the confirm checks made sure every code has one). */
export type Fees = ReadonlyMap<string, number>;

/**
 * The coding part of a claim row: what a correction rewrites while the claim is still `ready`. Each
 * line's charge is the provider's fee for its code times its units; the total is their sum.
 */
export function claimCoding(coding: Coding, providerTimeZone: string, fees: Fees) {
  const minutes = (Date.parse(coding.endedAt) - Date.parse(coding.startedAt)) / 60_000;
  const modifiers = modifiersFor(coding.locationType, coding.telehealthModality);
  const pointers = diagnosisPointers(coding.diagnosisCodes.length);
  const lines: ClaimLine[] = [coding.cptCode, ...coding.addOnCodes].map((code) => {
    const units = unitsFor(code, minutes);
    return {
      cptCode: code,
      modifiers,
      units,
      amountCents: (fees.get(code) ?? 0) * units,
      diagnosisPointers: pointers,
    };
  });
  return {
    total_cents: lines.reduce((sum, l) => sum + l.amountCents, 0),
    // The date of service is the session's date where the provider practises.
    service_date: localDate(coding.startedAt, providerTimeZone),
    place_of_service: placeOfService(coding.locationType, coding.patientLocation),
    cpt_code: coding.cptCode,
    modifiers: JSON.stringify(modifiers),
    lines: JSON.stringify(lines),
    diagnosis_codes: JSON.stringify(coding.diagnosisCodes),
    units: lines[0]!.units,
  };
}

// The claim records confirmation creates (submission to a clearinghouse is not part of Caseload yet).

export async function listClaims(
  data: Data,
  providerId: string,
  q: { status?: ClaimRow['status']; cursor?: string; limit: number },
): Promise<Page<ClaimOut>> {
  const [found] = await data.read(
    [claims.list(providerId, q)],
    [audit({ ...providerActor(providerId), action: 'claim.list', entityType: 'claim', entityId: null })],
  );
  return pageOf(found, q.limit, claims.pageKey, claims.toClaim);
}

export async function getClaim(data: Data, providerId: string, id: string): Promise<ClaimOut> {
  const [row, reports] = await data.read(
    [claims.find(providerId, id), claims.reportsOf(providerId, id)],
    [auditReadOf({ ...providerActor(providerId), action: 'claim.read', entityType: 'claim', entityId: id }, 'claims')],
  );
  if (!row) throw notFound('Claim');
  return claims.toClaim(row, reports);
}
