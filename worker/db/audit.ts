// The audit log: who read or changed client data, what, which entity, when — never the values.
import type { CompiledQuery, Kysely } from 'kysely';
import { nowIso } from '../platform/clock';
import type { Database } from './schema';

export interface AuditEntry {
  actorType: 'provider' | 'client' | 'admin' | 'system';
  actorId: string | null;
  providerId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
}

/** The insert, compiled, to put in the same batch as the change it records. */
export function auditQuery(db: Kysely<Database>, e: AuditEntry): CompiledQuery {
  return db
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_type: e.actorType,
      actor_id: e.actorId,
      provider_id: e.providerId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
    })
    .compile();
}

/** Records a read (nothing else to batch it with). */
export async function auditRead(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db.executeQuery(auditQuery(db, e));
}

export const providerActor = (providerId: string) =>
  ({ actorType: 'provider', actorId: providerId, providerId }) as const;
