// Picks the email transport from configuration; null means "not configured: keep emails queued".
import type { Data } from '../db/data';
import type { Config } from '../platform/config';
import { cloudflareTransport } from './transports/cloudflare';
import { mailboxTransport } from './transports/mailbox';
import { resendTransport } from './transports/resend';
import type { EmailTransport } from './types';

export function transportFor(env: Config, data: Data): EmailTransport | null {
  switch (env.EMAIL_TRANSPORT) {
    case 'mailbox':
      // The local mailbox only stores messages; in production that would swallow every email,
      // so there it counts as "not configured" and emails wait in the outbox instead.
      return env.ENVIRONMENT === 'development' || env.ENVIRONMENT === 'test' ? mailboxTransport(data) : null;
    case 'resend':
      return env.RESEND_API_KEY ? resendTransport(env.RESEND_API_KEY) : null;
    case 'cloudflare':
      return env.SEND_EMAIL ? cloudflareTransport(env.SEND_EMAIL) : null;
    default:
      return null;
  }
}
