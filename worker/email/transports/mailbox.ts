// Local transport: "sends" by storing the full message for /dev/mail (development and tests).
// Idempotent by outbox id, as a real provider's idempotency key would be.
import type { EmailTransport, OutgoingEmail } from '../types';
import { newId } from '../../platform/crypto';
import { nowIso } from '../../platform/clock';

export function mailboxTransport(d1: D1Database): EmailTransport {
  return {
    name: 'mailbox',
    async send(email: OutgoingEmail) {
      await d1
        .prepare(
          `INSERT INTO dev_mailbox (id, outbox_id, to_addr, from_addr, subject, text_body, html_body, attachments, sent_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (outbox_id) WHERE outbox_id IS NOT NULL DO NOTHING`,
        )
        .bind(
          newId('msg'),
          email.id,
          email.to,
          email.from,
          email.subject,
          email.text,
          email.html,
          JSON.stringify(email.attachments ?? []),
          nowIso(),
        )
        .run();
    },
  };
}
