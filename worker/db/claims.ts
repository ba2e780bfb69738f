// Claim rows: provider-scoped reads and the API shape.
import { type Selectable, sql } from 'kysely';
import type { Claim, ClaimExport, ClaimLine, ClaimReport, PatientSnapshot } from '../../shared/api-types';
import { MAX_CLAIMS_PER_EXPORT } from '../../shared/schemas/appointment';
import { guard, inJson, type Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import { decodeCursor } from './paging';
import type { ClaimExportsTable, ClaimReportsTable, ClaimsTable } from './schema';

export type ClaimRow = Selectable<ClaimsTable>;
/** A claim row with its payer's name and EDI id (what the API shape names). */
export type ClaimView = ClaimRow & { payer_name: string; payer_code: string };
export type ClaimExportRow = Selectable<ClaimExportsTable>;
export type NewClaimReport = Omit<Selectable<ClaimReportsTable>, 'id'>;

function viewQuery(providerId: string) {
  return qb
    .selectFrom('claims')
    .innerJoin('payers as y', 'y.id', 'claims.payer_id')
    .selectAll('claims')
    .select(['y.name as payer_name', 'y.payer_code'])
    .where('claims.provider_id', '=', providerId);
}

/**
 * API.md's Claim plus what a clearinghouse needs (additions, never renames): the service lines with
 * their units and diagnosis pointers, the rendering NPI, the member and group ids, and the patient's
 * demographics as of confirmation.
 */
export interface ClaimOut extends Claim {
  units: number;
  renderingNpi: string;
  memberId: string;
  groupNumber: string | null;
  patient: PatientSnapshot;
}

export const find = (providerId: string, id: string): Read<ClaimView | undefined> =>
  first(viewQuery(providerId).where('claims.id', '=', id).compile());

/** Only claims no replacement or void claim supersedes (one per session). */
function current(query: ReturnType<typeof viewQuery>) {
  return query.where((eb) =>
    eb.not(eb.exists(eb.selectFrom('claims as c3').select('c3.id').whereRef('c3.replaces_claim_id', '=', 'claims.id'))),
  );
}

/** The session's current claim (a replacement or a void claim supersedes the original). */
export const ofAppointment = (providerId: string, appointmentId: string): Read<ClaimView | undefined> =>
  first(current(viewQuery(providerId)).where('claims.appointment_id', '=', appointmentId).compile());

/** The current claim (the latest) of the session this provider's claim bills. */
export const currentOfClaim = (providerId: string, claimId: string): Read<ClaimView | undefined> =>
  first(
    current(viewQuery(providerId))
      .where('claims.appointment_id', '=', (eb) =>
        eb.selectFrom('claims as c2').select('c2.appointment_id').where('c2.id', '=', claimId),
      )
      .compile(),
  );

/** These claims of this provider (unknown and other providers' ids are simply missing). */
export const findMany = (providerId: string, ids: string[]): Read<ClaimView[]> =>
  rows(viewQuery(providerId).where('claims.id', 'in', inJson(ids)).compile());

/** Every `ready` claim of this provider, oldest first (an export's default). */
export const ready = (providerId: string): Read<ClaimView[]> =>
  rows(
    viewQuery(providerId)
      .where('claims.status', '=', 'ready')
      .orderBy('claims.created_at')
      .orderBy('claims.id')
      .limit(MAX_CLAIMS_PER_EXPORT + 1)
      .compile(),
  );

/** Newest first, down the index claims_provider_created (provider_id, created_at DESC, id DESC); limit + 1. */
export function list(
  providerId: string,
  q: { status?: ClaimRow['status']; cursor?: string; limit: number },
): Read<ClaimView[]> {
  let query = viewQuery(providerId);
  if (q.status) query = query.where('claims.status', '=', q.status);
  if (q.cursor) {
    const [createdAt, id] = decodeCursor(q.cursor, 2) as [string, string];
    query = query.where(sql<boolean>`(claims.created_at, claims.id) < (${createdAt}, ${id})`);
  }
  return rows(
    query
      .orderBy('claims.created_at', 'desc')
      .orderBy('claims.id', 'desc')
      .limit(q.limit + 1)
      .compile(),
  );
}

export const pageKey = (r: ClaimRow) => [r.created_at, r.id];

/** A claim of the same client from another session: what billing.md's same-date edits look at. */
export interface OtherService {
  serviceDate: string;
  cptCode: string;
  /** The other session's scheduled start, to name it in a message. */
  startsAt: string;
}

/**
 * This client's claims from sessions other than this one (down the index claims_client_date) —
 * the client being the appointment's own, found in the same statement.
 */
export function otherServices(providerId: string, appointmentId: string): Read<OtherService[]> {
  return otherServicesOf(providerId, appointmentId);
}

/** The same, for the session a claim bills (a replacement's checks, keyed by the claim id). */
export function otherServicesOfClaim(providerId: string, claimId: string): Read<OtherService[]> {
  return otherServicesOf(providerId, null, claimId);
}

function otherServicesOf(providerId: string, appointmentId: string | null, claimId?: string): Read<OtherService[]> {
  const thisAppointment = qb
    .selectFrom('claims')
    .select('appointment_id')
    .where('id', '=', claimId ?? '')
    .where('provider_id', '=', providerId);
  const apt = appointmentId ?? thisAppointment;
  return {
    query: qb
      .selectFrom('claims as c')
      .innerJoin('appointments as a', 'a.id', 'c.appointment_id')
      .select(['c.service_date', 'c.cpt_code', 'a.starts_at'])
      .where('c.provider_id', '=', providerId)
      .where('c.appointment_id', '!=', apt)
      // Superseded claims and void claims bill nothing.
      .where('c.status', 'not in', ['replaced', 'voided'])
      .where('c.frequency', '!=', 'void')
      .where(
        'c.client_id',
        '=',
        qb.selectFrom('appointments').select('client_id').where('id', '=', apt).where('provider_id', '=', providerId),
      )
      .compile(),
    map: (r) =>
      r.map((x) => ({
        serviceDate: x.service_date as string,
        cptCode: x.cpt_code as string,
        startsAt: x.starts_at as string,
      })),
  };
}

export const insert = (row: ClaimRow): Statement => qb.insertInto('claims').values(row).compile();

/** Rewrites the coding of a claim while it is still `ready`. */
export function recode(claimId: string, set: Partial<ClaimRow>): Statement {
  return qb.updateTable('claims').set(set).where('id', '=', claimId).where('status', '=', 'ready').compile();
}

/** Moves a claim from one status to another (nothing when it is no longer in `from`). */
export function transition(
  providerId: string,
  id: string,
  from: ClaimRow['status'],
  set: Partial<ClaimRow> & { status: ClaimRow['status']; updated_at: string },
): Statement {
  return qb
    .updateTable('claims')
    .set(set)
    .where('id', '=', id)
    .where('provider_id', '=', providerId)
    .where('status', '=', from)
    .compile();
}

/** Fails the batch unless the claim is now in `status` (the conditional UPDATE above took effect). */
export const statusGuard = (id: string, status: ClaimRow['status'], updatedAt: string): Statement =>
  guard(sql`EXISTS (SELECT 1 FROM claims WHERE id = ${id} AND status = ${status} AND updated_at = ${updatedAt})`);

/** Marks these `ready` claims exported in this export. */
export const markExported = (providerId: string, ids: string[], exportId: string, at: string): Statement =>
  qb
    .updateTable('claims')
    .set({ status: 'exported', export_id: exportId, updated_at: at })
    .where('provider_id', '=', providerId)
    .where('id', 'in', inJson(ids))
    .where('status', '=', 'ready')
    .compile();

/** Fails the batch unless every one of these claims is in this export (none left `ready` meanwhile). */
export const exportedGuard = (ids: string[], exportId: string): Statement =>
  guard(sql`(SELECT count(*) FROM claims WHERE export_id = ${exportId} AND status = 'exported') = ${ids.length}`);

// Exports.

export const insertExport = (row: ClaimExportRow): Statement => qb.insertInto('claim_exports').values(row).compile();

/** The next interchange control number of this provider (1 for the first export). */
export const nextInterchangeNumber = (providerId: string): Read<number> => ({
  query: qb
    .selectFrom('claim_exports')
    .select((eb) => eb.fn.max('interchange_control_number').as('n'))
    .where('provider_id', '=', providerId)
    .compile(),
  map: (r) => Number((r[0] as { n: number | null } | undefined)?.n ?? 0) + 1,
});

export const findExport = (providerId: string, id: string): Read<ClaimExportRow | undefined> =>
  first(
    qb.selectFrom('claim_exports').selectAll().where('id', '=', id).where('provider_id', '=', providerId).compile(),
  );

/** Newest first, without the file text; limit + 1. */
export function listExports(
  providerId: string,
  q: { cursor?: string; limit: number },
): Read<Omit<ClaimExportRow, 'file'>[]> {
  let query = qb
    .selectFrom('claim_exports')
    .select([
      'id',
      'provider_id',
      'interchange_control_number',
      'claim_ids',
      'claim_count',
      'total_cents',
      'created_at',
    ])
    .where('provider_id', '=', providerId);
  if (q.cursor) {
    const [createdAt, id] = decodeCursor(q.cursor, 2) as [string, string];
    query = query.where(sql<boolean>`(created_at, id) < (${createdAt}, ${id})`);
  }
  return rows(
    query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .compile(),
  );
}

export const exportPageKey = (r: { created_at: string; id: string }) => [r.created_at, r.id];

export const toExport = (r: Omit<ClaimExportRow, 'file'>): ClaimExport => ({
  id: r.id,
  claimIds: JSON.parse(r.claim_ids) as string[],
  claimCount: r.claim_count,
  totalCents: r.total_cents,
  interchangeControlNumber: String(r.interchange_control_number).padStart(9, '0'),
  createdAt: r.created_at,
});

/** A status report of this provider's claim (what the payer answered, with the biller's note). */
export const insertReport = (row: NewClaimReport): Statement => qb.insertInto('claim_reports').values(row).compile();

/** This provider's claim's reports, oldest first. */
export const reportsOf = (providerId: string, claimId: string): Read<ClaimReport[]> => ({
  query: qb
    .selectFrom('claim_reports')
    .select(['status', 'payer_claim_number', 'paid_cents', 'note', 'created_at'])
    .where('claim_id', '=', claimId)
    .where('provider_id', '=', providerId)
    .orderBy('id')
    .compile(),
  map: (rows) =>
    (rows as Pick<NewClaimReport, 'status' | 'payer_claim_number' | 'paid_cents' | 'note' | 'created_at'>[]).map(
      (r) => ({
        status: r.status,
        payerClaimNumber: r.payer_claim_number,
        paidCents: r.paid_cents,
        note: r.note,
        at: r.created_at,
      }),
    ),
});

export function toClaim(r: ClaimView, reports?: ClaimReport[]): ClaimOut {
  return {
    id: r.id,
    claimNumber: r.claim_number,
    appointmentId: r.appointment_id,
    clientId: r.client_id,
    payerId: r.payer_id,
    payer: { id: r.payer_id, name: r.payer_name, payerCode: r.payer_code },
    status: r.status,
    frequency: r.frequency,
    replacesClaimId: r.replaces_claim_id,
    payerClaimNumber: r.payer_claim_number,
    serviceDate: r.service_date,
    placeOfService: r.place_of_service,
    cptCode: r.cpt_code,
    modifiers: JSON.parse(r.modifiers) as string[],
    diagnosisCodes: JSON.parse(r.diagnosis_codes) as string[],
    createdAt: r.created_at,
    lines: JSON.parse(r.lines) as ClaimLine[],
    totalCents: r.total_cents,
    exportId: r.export_id,
    paidCents: r.paid_cents,
    units: r.units,
    renderingNpi: r.rendering_npi,
    memberId: r.member_id,
    groupNumber: r.group_number,
    patient: JSON.parse(r.patient) as PatientSnapshot,
    updatedAt: r.updated_at,
    ...(reports ? { reports } : {}),
  };
}
