// 837P exports (API.md "Claims"): the stored claims, the provider's billing profile and the payers
// mapped into one X12Export (docs/billing.md "The 837P file"), written by write837P, kept as text so
// every download is the same bytes; the claims become `exported` in the same batch.
import type * as v from 'valibot';
import type { ClaimExport, PatientSnapshot } from '../../shared/api-types';
import { type ClaimExportSchema, MAX_CLAIMS_PER_EXPORT } from '../../shared/schemas/appointment';
import { missingProfileFields } from '../../shared/schemas/billing-profile';
import { audit, auditReadOf, providerActor } from '../db/audit';
import * as billingProfiles from '../db/billing-profiles';
import type { BillingProfileRow } from '../db/billing-profiles';
import { isGuardFailure, isUniqueViolation } from '../db/batch';
import * as claims from '../db/claims';
import type { ClaimExportRow, ClaimView } from '../db/claims';
import type { Data } from '../db/data';
import { pageOf } from '../db/paging';
import { nowIso } from '../platform/clock';
import { newId } from '../platform/crypto';
import { notFound } from '../platform/errors';
import { openTaxId } from '../platform/tax-id-crypto';
import type { Deps, Provider, Remember } from './context';
import { claimExported, invalidState, nothingToExport, providerBillingIncomplete } from './errors';
import { type X12Address, type X12Claim, type X12Export, type X12Line, write837P } from './x12-837p';

/** "Ada Q. Lovelace" → first "Ada Q.", last "Lovelace" (the rendering provider's NM1*82). */
function splitDisplayName(name: string): { firstName: string; lastName: string } {
  const trimmed = name.trim();
  const space = trimmed.lastIndexOf(' ');
  if (space < 0) return { firstName: '', lastName: trimmed };
  return { firstName: trimmed.slice(0, space), lastName: trimmed.slice(space + 1) };
}

const sameAddress = (a: X12Address, b: X12Address) =>
  [a.line1, a.line2 ?? '', a.city, a.state, a.postalCode].join('|').toUpperCase() ===
  [b.line1, b.line2 ?? '', b.city, b.state, b.postalCode].join('|').toUpperCase();

function billingAddress(p: BillingProfileRow): X12Address {
  return {
    line1: p.address_line1!,
    line2: p.address_line2,
    city: p.address_city!,
    state: p.address_state!,
    postalCode: p.address_postal_code!,
  };
}

function serviceAddress(p: BillingProfileRow): X12Address | null {
  if (!p.has_service_address || !p.service_line1) return null;
  return {
    line1: p.service_line1,
    line2: p.service_line2,
    city: p.service_city!,
    state: p.service_state!,
    postalCode: p.service_postal_code!,
  };
}

/** One stored claim as the 837P's 2000B–2400 loops. */
export function x12ClaimOf(c: ClaimView, provider: Provider, profile: BillingProfileRow): X12Claim {
  const patient = JSON.parse(c.patient) as PatientSnapshot;
  const self = patient.relationship === 'self' || !patient.subscriber;
  const lines = (JSON.parse(c.lines) as Omit<X12Line, 'serviceDate'>[]).map((l) => ({
    cptCode: l.cptCode,
    modifiers: l.modifiers,
    units: l.units,
    amountCents: l.amountCents,
    diagnosisPointers: l.diagnosisPointers,
    serviceDate: c.service_date,
  }));
  const billing = billingAddress(profile);
  const facility = serviceAddress(profile);
  return {
    claimNumber: c.claim_number,
    frequency: c.frequency,
    payerClaimNumber: c.payer_claim_number,
    placeOfService: c.place_of_service,
    diagnosisCodes: JSON.parse(c.diagnosis_codes) as string[],
    payer: { name: c.payer_name, payerCode: c.payer_code },
    subscriber: self
      ? {
          firstName: patient.legalFirstName,
          lastName: patient.legalLastName,
          memberId: c.member_id,
          groupNumber: c.group_number,
          dateOfBirth: patient.dateOfBirth,
          sex: patient.sex,
        }
      : {
          firstName: patient.subscriber!.firstName,
          lastName: patient.subscriber!.lastName,
          memberId: c.member_id,
          groupNumber: c.group_number,
          dateOfBirth: patient.subscriber!.dateOfBirth,
          sex: null,
        },
    patient: self
      ? null
      : {
          firstName: patient.legalFirstName,
          lastName: patient.legalLastName,
          relationship: patient.relationship as 'spouse' | 'child' | 'other',
          dateOfBirth: patient.dateOfBirth,
          sex: patient.sex,
        },
    address: {
      line1: patient.address.line1,
      line2: patient.address.line2,
      city: patient.address.city,
      state: patient.address.state,
      postalCode: patient.address.postalCode,
    },
    renderingProvider:
      profile.entity === 'organization'
        ? { ...splitDisplayName(provider.name), npi: c.rendering_npi, taxonomyCode: profile.taxonomy_code! }
        : null,
    // billing.md: only office sessions (POS 11) whose service address is not the billing address.
    serviceFacility:
      c.place_of_service === '11' && facility && !sameAddress(facility, billing)
        ? { name: profile.billing_name!, address: facility }
        : null,
    lines,
  };
}

export async function x12ExportOf(
  secret: string | undefined,
  provider: Provider,
  profile: BillingProfileRow,
  rows: ClaimView[],
  meta: { id: string; controlNumber: number; createdAt: string },
): Promise<X12Export> {
  const organization = profile.entity === 'organization';
  return {
    controlNumber: meta.controlNumber,
    exportId: meta.id,
    createdAt: meta.createdAt,
    usage: profile.edi_usage ?? 'test',
    submitter: {
      id: profile.edi_submitter_id!,
      name: profile.edi_submitter_name!,
      // The person a clearinghouse calls about the file: the practice (organization) or the therapist.
      contactName: organization ? profile.billing_name! : provider.name,
      phone: profile.phone!,
    },
    receiver: { id: profile.edi_receiver_id!, name: profile.edi_receiver_name! },
    billingProvider: {
      entity: profile.entity!,
      name: profile.billing_name!,
      npi: organization ? profile.group_npi! : provider.npi,
      taxonomyCode: profile.taxonomy_code!,
      taxId: { type: profile.tax_id_type!, value: await openTaxId(secret, provider.id, profile.tax_id_sealed!) },
      address: billingAddress(profile),
    },
    claims: rows.map((c) => x12ClaimOf(c, provider, profile)),
  };
}

export async function createExport(
  { data, config }: Deps,
  provider: Provider,
  body: v.InferOutput<typeof ClaimExportSchema>,
  remember?: Remember,
): Promise<ClaimExport> {
  const ids = body.claimIds ? [...new Set(body.claimIds)] : null;
  const [found, profile, controlNumber] = await data.read([
    ids ? claims.findMany(provider.id, ids) : claims.ready(provider.id),
    billingProfiles.find(provider.id),
    claims.nextInterchangeNumber(provider.id),
  ]);
  let rows: ClaimView[];
  if (ids) {
    const byId = new Map(found.map((c) => [c.id, c]));
    const unknown = ids.find((id) => !byId.has(id));
    if (unknown) throw notFound(`Claim ${unknown}`);
    rows = ids.map((id) => byId.get(id)!);
    const sent = rows.find((c) => c.status !== 'ready');
    if (sent) {
      throw claimExported(
        `Claim ${sent.id} is ${sent.status}, not ready; to correct a sent claim use POST /v1/claims/${sent.id}/replacement or /void.`,
      );
    }
  } else {
    rows = found.slice(0, MAX_CLAIMS_PER_EXPORT);
  }
  if (rows.length === 0) throw nothingToExport();
  const missing = missingProfileFields(billingProfiles.rowToFields(profile));
  if (!profile || missing.length > 0) throw providerBillingIncomplete(missing.map((p) => `billingProfile.${p}`));
  if (controlNumber > 999_999_999) throw invalidState('This provider has used every interchange control number.');

  const at = nowIso();
  const id = newId('exp');
  const file = write837P(
    await x12ExportOf(config.NOTES_KEY, provider, profile, rows, { id, controlNumber, createdAt: at }),
  );
  const row: ClaimExportRow = {
    id,
    provider_id: provider.id,
    interchange_control_number: controlNumber,
    claim_ids: JSON.stringify(rows.map((c) => c.id)),
    claim_count: rows.length,
    total_cents: rows.reduce((sum, c) => sum + c.total_cents, 0),
    file,
    created_at: at,
  };
  const answer = claims.toExport(row);
  const claimIds = rows.map((c) => c.id);
  try {
    await data.write([
      ...(remember?.(201, answer) ?? []),
      claims.insertExport(row),
      claims.markExported(provider.id, claimIds, id, at),
      // A claim exported or superseded since the read: nothing may be written.
      claims.exportedGuard(claimIds, id),
      audit({ ...providerActor(provider.id), action: 'claims.exported', entityType: 'claim_export', entityId: id }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) {
      throw claimExported('A claim of this export was exported or changed by another request meanwhile; try again.');
    }
    if (isUniqueViolation(err, 'claim_exports')) {
      throw invalidState('Another export was being made at the same moment; try again.');
    }
    throw err;
  }
  return answer;
}

export async function listExports(data: Data, providerId: string, q: { cursor?: string; limit: number }) {
  const [found] = await data.read(
    [claims.listExports(providerId, q)],
    [audit({ ...providerActor(providerId), action: 'claims.export.list', entityType: 'claim_export', entityId: null })],
  );
  return pageOf(found, q.limit, claims.exportPageKey, claims.toExport);
}

async function readExport(data: Data, providerId: string, id: string, action: string): Promise<ClaimExportRow> {
  const [row] = await data.read(
    [claims.findExport(providerId, id)],
    [auditReadOf({ ...providerActor(providerId), action, entityType: 'claim_export', entityId: id }, 'claim_exports')],
  );
  if (!row) throw notFound('Export');
  return row;
}

export const getExport = async (data: Data, providerId: string, id: string): Promise<ClaimExport> =>
  claims.toExport(await readExport(data, providerId, id, 'claims.export.read'));

/** The stored file: the same bytes on every download. */
export async function exportFile(data: Data, providerId: string, id: string) {
  const row = await readExport(data, providerId, id, 'claims.export.download');
  const icn = String(row.interchange_control_number).padStart(9, '0');
  return { file: row.file, filename: `caseload-837p-${icn}.txt` };
}
