// Picks the email transport from configuration; null means "not configured: keep emails queued".
import type { Bindings } from '../env';
import { mailboxTransport } from './transports/mailbox';
import type { EmailTransport } from './types';

export function transportFor(env: Bindings): EmailTransport | null {
  switch (env.EMAIL_TRANSPORT) {
    case 'mailbox':
      return mailboxTransport(env.DB);
    default:
      return null;
  }
}
