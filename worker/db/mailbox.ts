// The local mailbox (development and tests): what the mailbox transport "sent", for /dev/mail.
import type { Selectable } from 'kysely';
import type { Statement } from './batch';
import { type Read, rows } from './data';
import { qb } from './kysely';
import type { DevMailboxTable } from './schema';

export type MailboxRow = Selectable<DevMailboxTable>;

/** Stores a delivered message once per outbox id, as a real provider's idempotency key would. */
export function deliver(row: Omit<MailboxRow, 'attachments'> & { attachments: string }): Statement {
  return qb
    .insertInto('dev_mailbox')
    .values(row)
    .onConflict((oc) => oc.column('outbox_id').where('outbox_id', 'is not', null).doNothing())
    .compile();
}

export const newest = (limit: number): Read<MailboxRow[]> =>
  rows(
    qb.selectFrom('dev_mailbox').selectAll().orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(limit).compile(),
  );
