// The audit log: who read or changed client data, what, which entity, when — never the values.
// Each entry is a statement for the same batch as the read or change it records.
import { type RawBuilder, sql } from 'kysely';
import { nowIso } from '../platform/clock';
import { currentNetwork } from '../platform/network';
import type { Statement } from './batch';
import { type Read, rows } from './data';
import { qb } from './kysely';
import { decodeCursor } from './paging';

export interface AuditEntry {
  actorType: 'provider' | 'client' | 'admin' | 'system';
  actorId: string | null;
  providerId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  /** The caller's /24 or /48 (platform/network.ts); by default the request's, null when unknown. */
  network?: string | null;
}

const row = (e: AuditEntry) => ({
  at: nowIso(),
  actor_type: e.actorType,
  actor_id: e.actorId,
  provider_id: e.providerId,
  action: e.action,
  entity_type: e.entityType,
  entity_id: e.entityId,
  network: e.network === undefined ? currentNetwork() : e.network,
});

/** The insert, compiled, to put in the same batch as the change it records. */
export function audit(e: AuditEntry): Statement {
  return qb.insertInto('audit_log').values(row(e)).compile();
}

/**
 * Records a read of one of this provider's rows, written only if that row exists: batched with the
 * read itself, so an unknown (or another provider's) id leaves no entry, as before.
 */
export function auditReadOf(
  e: AuditEntry & { providerId: string; entityId: string },
  table: 'clients' | 'appointments' | 'claims' | 'claim_exports' | 'confirmations' | 'note_drafts',
): Statement {
  const r = row(e);
  const idColumn = table === 'confirmations' || table === 'note_drafts' ? 'appointment_id' : 'id';
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id, network)
    SELECT ${r.at}, ${r.actor_type}, ${r.actor_id}, ${r.provider_id}, ${r.action}, ${r.entity_type}, ${r.entity_id}, ${r.network}
    WHERE EXISTS (SELECT 1 FROM ${sql.table(table)} WHERE ${sql.ref(idColumn)} = ${e.entityId} AND provider_id = ${e.providerId})`.compile(
    qb,
  );
}

/** Records a change only if the statement just before it in the batch changed a row. */
export function auditIfChanged(e: AuditEntry): Statement {
  const r = row(e);
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id, network)
    SELECT ${r.at}, ${r.actor_type}, ${r.actor_id}, ${r.provider_id}, ${r.action}, ${r.entity_type}, ${r.entity_id}, ${r.network}
    WHERE changes() = 1`.compile(qb);
}

/** One audit row per appointment in `ids`, in a single statement (a 52-session series is one insert). */
export function auditEach(at: string, providerId: string, action: string, ids: string[]): Statement {
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id, network)
    SELECT ${at}, 'provider', ${providerId}, ${providerId}, ${action}, 'appointment', id, ${currentNetwork()}
    FROM appointments WHERE id IN (${sql.join(ids)})`.compile(qb);
}

export const providerActor = (providerId: string) =>
  ({ actorType: 'provider', actorId: providerId, providerId }) as const;

/**
 * An audit row for the provider with `email`, when there is one (and `condition` holds): sign-in
 * rows are written by the same statement whether or not the email belongs to anyone.
 */
export function auditForEmail(
  e: Pick<AuditEntry, 'actorType' | 'action' | 'network'> & { actorIsProvider: boolean },
  email: string,
  condition: RawBuilder<boolean> = sql<boolean>`1`,
): Statement {
  const r = row({ ...e, actorId: null, providerId: null, entityType: 'provider', entityId: null });
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id, network)
    SELECT ${r.at}, ${r.actor_type}, ${e.actorIsProvider ? sql`p.id` : null}, p.id, ${r.action}, 'provider', p.id, ${r.network}
    FROM providers p WHERE p.email = ${email.toLowerCase()} AND ${condition}`.compile(qb);
}

export interface ActivityRow {
  id: number;
  at: string;
  action: string;
  actor_type: AuditEntry['actorType'];
  entity_type: string;
  entity_id: string | null;
  network: string | null;
}

/** The provider's rows with one of `actions`, newest first; limit + 1 rows. */
export function activity(
  providerId: string,
  actions: readonly string[],
  q: { cursor?: string; limit: number },
): Read<ActivityRow[]> {
  let query = qb
    .selectFrom('audit_log')
    .select(['id', 'at', 'action', 'actor_type', 'entity_type', 'entity_id', 'network'])
    .where('provider_id', '=', providerId)
    .where('action', 'in', actions);
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2) as [string, string];
    const n = Number(id);
    query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', n)])]));
  }
  return rows(
    query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .compile(),
  );
}

export const activityKey = (r: ActivityRow) => [r.at, String(r.id)];
