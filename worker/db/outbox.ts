// The email outbox's rows: queueing (in the caller's batch), claiming due rows under a lease,
// recording results, and the operations view.
import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool } from 'kysely';
import type { Statement } from './batch';
import { first, type Read, rows } from './data';
import { qb } from './kysely';
import { decodeCursor } from './paging';
import type { Database, OutboxTable } from './schema';

export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable> & { id: string };

export const insert = (row: NewOutboxRow): Statement => qb.insertInto('outbox').values(row).compile();

/**
 * An insert that happens only while `condition` (evaluated in the same statement) holds, and
 * never a second time for the same dedupe key: the reminder's "still due and not yet reminded".
 */
export function insertIf(row: NewOutboxRow & { dedupe_key: string }, condition: Expression<SqlBool>): Statement {
  const cols = Object.keys(row) as (keyof typeof row)[];
  return qb
    .insertInto('outbox')
    .columns(cols)
    .expression(qb.selectNoFrom((eb) => cols.map((k) => eb.val(row[k]).as(k))).where(condition))
    .onConflict((oc) => oc.doNothing())
    .compile();
}

// Pending and due, or claimed by a drain whose lease ran out (it died before recording the result).
const claimable = (at: string) => (eb: ExpressionBuilder<Database, 'outbox'>) =>
  eb.or([
    eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', at)]),
    eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', at)]),
  ]);

/**
 * Claims up to `n` due rows in one conditional UPDATE … RETURNING. D1 runs a statement alone, so
 * two drains at once get disjoint rows: the second's WHERE no longer matches what the first took.
 */
export function claimDue(n: number, at: string, leaseUntil: string): Read<OutboxRow[]> {
  return rows(
    qb
      .updateTable('outbox')
      .set((eb) => ({ status: 'sending', lease_until: leaseUntil, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', qb.selectFrom('outbox').select('id').where(claimable(at)).orderBy('next_attempt_at').limit(n))
      .where(claimable(at))
      .returningAll()
      .compile(),
  );
}

/** A delivered email keeps only its metadata (recipient, kind, status, times): its bodies go. */
export const DELIVERED_BODIES = { text_body: '', html_body: '', attachments: '[]' } as const;

/** Records a send's result, only while this drain's lease on the row still holds. */
export function settle(
  id: string,
  leaseUntil: string,
  set: Partial<
    Pick<
      OutboxRow,
      | 'status'
      | 'sent_at'
      | 'lease_until'
      | 'last_error'
      | 'next_attempt_at'
      | 'text_body'
      | 'html_body'
      | 'attachments'
    >
  >,
): Statement {
  return qb
    .updateTable('outbox')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .where('lease_until', '=', leaseUntil)
    .compile();
}

/** Operations: puts a failed email back in the queue for an immediate, fresh series of tries. */
export function requeueFailed(id: string, at: string): Read<OutboxRow | undefined> {
  return first(
    qb
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .returningAll()
      .compile(),
  );
}

export const statusOf = (id: string): Read<OutboxRow['status'] | undefined> => ({
  query: qb.selectFrom('outbox').select('status').where('id', '=', id).compile(),
  map: (r) => r[0]?.status as OutboxRow['status'] | undefined,
});

/** Operations list by status, newest first; limit + 1 rows. */
export function list(q: { status: OutboxRow['status']; cursor?: string; limit: number }): Read<OutboxRow[]> {
  let query = qb.selectFrom('outbox').selectAll().where('status', '=', q.status);
  if (q.cursor) {
    const [createdAt, id] = decodeCursor(q.cursor, 2) as [string, string];
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]),
    );
  }
  return rows(
    query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .compile(),
  );
}

export const pageKey = (r: OutboxRow) => [r.created_at, r.id];
