// Cloudflare Email Service transport: the `send_email` binding's structured form (from, to,
// subject, text, html, attachments), so no MIME is built here; Cloudflare assembles the message.
import type { EmailTransport, OutgoingEmail } from '../types';

/** "Caseload <no-reply@x>" → { name, email }; a bare address stays a string. */
export function parseAddress(from: string): string | EmailAddress {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  if (!m) return from.trim();
  const name = m[1]!.trim();
  return name ? { name, email: m[2]! } : m[2]!;
}

export function cloudflareTransport(binding: SendEmail): EmailTransport {
  return {
    name: 'cloudflare',
    async send(email: OutgoingEmail) {
      // Errors from the binding (not verified, rate limited, unavailable) carry no reliable
      // "permanent" signal, so every failure backs off and, after the last try, fails visibly.
      await binding.send({
        from: parseAddress(email.from),
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        // Lets a message be traced back to its outbox row (and spotted if ever duplicated).
        headers: { 'X-Caseload-Email-Id': email.id },
        ...(email.attachments?.length
          ? {
              attachments: email.attachments.map((a) => ({
                disposition: 'attachment' as const,
                filename: a.filename,
                type: a.contentType,
                content: a.content,
              })),
            }
          : {}),
      });
    },
  };
}
