// Local transport: "sends" by storing the full message for /dev/mail (development and tests).
// Idempotent by outbox id, as a real provider's idempotency key would be.
import type { Data } from '../../db/data';
import * as mailbox from '../../db/mailbox';
import { nowIso } from '../../platform/clock';
import { newId } from '../../platform/crypto';
import type { EmailTransport, OutgoingEmail } from '../types';

export function mailboxTransport(data: Data): EmailTransport {
  return {
    name: 'mailbox',
    async send(email: OutgoingEmail) {
      await data.write([
        mailbox.deliver({
          id: newId('msg'),
          outbox_id: email.id,
          to_addr: email.to,
          from_addr: email.from,
          subject: email.subject,
          text_body: email.text,
          html_body: email.html,
          attachments: JSON.stringify(email.attachments ?? []),
          sent_at: nowIso(),
        }),
      ]);
    },
  };
}
