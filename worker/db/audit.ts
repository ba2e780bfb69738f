// The audit log: who read or changed client data, what, which entity, when — never the values.
// Each entry is a statement for the same batch as the read or change it records.
import { sql } from 'kysely';
import { nowIso } from '../platform/clock';
import type { Statement } from './batch';
import { qb } from './kysely';

export interface AuditEntry {
  actorType: 'provider' | 'client' | 'admin' | 'system';
  actorId: string | null;
  providerId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
}

const row = (e: AuditEntry) => ({
  at: nowIso(),
  actor_type: e.actorType,
  actor_id: e.actorId,
  provider_id: e.providerId,
  action: e.action,
  entity_type: e.entityType,
  entity_id: e.entityId,
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
  table: 'clients' | 'appointments' | 'claims' | 'confirmations' | 'note_drafts',
): Statement {
  const r = row(e);
  const idColumn = table === 'confirmations' || table === 'note_drafts' ? 'appointment_id' : 'id';
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id)
    SELECT ${r.at}, ${r.actor_type}, ${r.actor_id}, ${r.provider_id}, ${r.action}, ${r.entity_type}, ${r.entity_id}
    WHERE EXISTS (SELECT 1 FROM ${sql.table(table)} WHERE ${sql.ref(idColumn)} = ${e.entityId} AND provider_id = ${e.providerId})`.compile(
    qb,
  );
}

/** Records a change only if the statement just before it in the batch changed a row. */
export function auditIfChanged(e: AuditEntry): Statement {
  const r = row(e);
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id)
    SELECT ${r.at}, ${r.actor_type}, ${r.actor_id}, ${r.provider_id}, ${r.action}, ${r.entity_type}, ${r.entity_id}
    WHERE changes() = 1`.compile(qb);
}

/** One audit row per appointment in `ids`, in a single statement (a 52-session series is one insert). */
export function auditEach(at: string, providerId: string, action: string, ids: string[]): Statement {
  return sql`INSERT INTO audit_log (at, actor_type, actor_id, provider_id, action, entity_type, entity_id)
    SELECT ${at}, 'provider', ${providerId}, ${providerId}, ${action}, 'appointment', id
    FROM appointments WHERE id IN (${sql.join(ids)})`.compile(qb);
}

export const providerActor = (providerId: string) =>
  ({ actorType: 'provider', actorId: providerId, providerId }) as const;
