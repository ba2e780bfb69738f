// Claim rows: provider-scoped reads and the API shape.
import { type Selectable, sql } from 'kysely';
import type { Claim, ClaimLine, PatientSnapshot } from '../../shared/api-types';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import { decodeCursor } from './paging';
import type { ClaimsTable } from './schema';

export type ClaimRow = Selectable<ClaimsTable>;

/**
 * API.md's Claim plus what a clearinghouse needs (additions, never renames): the service lines with
 * their units and diagnosis pointers, the rendering NPI, the member and group ids, and the patient's
 * demographics as of confirmation.
 */
export interface ClaimOut extends Claim {
  lines: ClaimLine[];
  units: number;
  renderingNpi: string;
  memberId: string;
  groupNumber: string | null;
  patient: PatientSnapshot;
  updatedAt: string;
}

export const find = (providerId: string, id: string): Read<ClaimRow | undefined> =>
  first(qb.selectFrom('claims').selectAll().where('id', '=', id).where('provider_id', '=', providerId).compile());

export const ofAppointment = (providerId: string, appointmentId: string): Read<ClaimRow | undefined> =>
  first(
    qb
      .selectFrom('claims')
      .selectAll()
      .where('appointment_id', '=', appointmentId)
      .where('provider_id', '=', providerId)
      .compile(),
  );

/** Newest first, down the index claims_provider_created (provider_id, created_at DESC, id DESC); limit + 1. */
export function list(
  providerId: string,
  q: { status?: ClaimRow['status']; cursor?: string; limit: number },
): Read<ClaimRow[]> {
  let query = qb.selectFrom('claims').selectAll().where('provider_id', '=', providerId);
  if (q.status) query = query.where('status', '=', q.status);
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
  return {
    query: qb
      .selectFrom('claims as c')
      .innerJoin('appointments as a', 'a.id', 'c.appointment_id')
      .select(['c.service_date', 'c.cpt_code', 'a.starts_at'])
      .where('c.provider_id', '=', providerId)
      .where('c.appointment_id', '!=', appointmentId)
      .where(
        'c.client_id',
        '=',
        qb
          .selectFrom('appointments')
          .select('client_id')
          .where('id', '=', appointmentId)
          .where('provider_id', '=', providerId),
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
export function recode(appointmentId: string, set: Partial<ClaimRow>): Statement {
  return qb
    .updateTable('claims')
    .set(set)
    .where('appointment_id', '=', appointmentId)
    .where('status', '=', 'ready')
    .compile();
}

export function toClaim(r: ClaimRow): ClaimOut {
  return {
    id: r.id,
    appointmentId: r.appointment_id,
    clientId: r.client_id,
    payerId: r.payer_id,
    status: r.status,
    serviceDate: r.service_date,
    placeOfService: r.place_of_service,
    cptCode: r.cpt_code,
    modifiers: JSON.parse(r.modifiers) as string[],
    diagnosisCodes: JSON.parse(r.diagnosis_codes) as string[],
    createdAt: r.created_at,
    lines: JSON.parse(r.lines) as ClaimLine[],
    units: r.units,
    renderingNpi: r.rendering_npi,
    memberId: r.member_id,
    groupNumber: r.group_number,
    patient: JSON.parse(r.patient) as PatientSnapshot,
    updatedAt: r.updated_at,
  };
}
