// Claim rows: provider-scoped reads and the API shape.
import type { Kysely, Selectable } from 'kysely';
import type { Claim, ClaimLine, PatientSnapshot } from '../../shared/api-types';
import type { ClaimsTable, Database } from './schema';

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

export function findClaim(db: Kysely<Database>, providerId: string, id: string): Promise<ClaimRow | undefined> {
  return db
    .selectFrom('claims')
    .selectAll()
    .where('id', '=', id)
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
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
