// Resend transport: one HTTPS call per email, the outbox id as Idempotency-Key so a retry after a
// lost response (or a drain that died between sending and recording it) never sends twice.
import type { EmailTransport, OutgoingEmail } from '../types';
import { PermanentEmailError } from '../types';

export const RESEND_URL = 'https://api.resend.com/emails';

/**
 * Which failures are worth retrying. 429 (rate limit, daily quota), 408, 409 (Resend's "same
 * idempotency key still in flight") and 5xx are transient. 401/403 mean the key or the sending
 * domain is misconfigured: not this email's fault and fixed by an operator, so they back off too
 * rather than failing every queued email at once. Any other 4xx (400, 422: a malformed address,
 * a refused attachment) rejects the message itself and is permanent: the row fails at once.
 */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || [401, 403, 408, 409, 429].includes(status);
}

// The global fetch is looked up per call (tests swap in fetchMock), never captured at load.
export function resendTransport(
  apiKey: string,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): EmailTransport {
  return {
    name: 'resend',
    async send(email: OutgoingEmail) {
      const body = {
        from: email.from,
        to: [email.to],
        subject: email.subject,
        text: email.text,
        html: email.html,
        ...(email.attachments?.length
          ? {
              attachments: email.attachments.map((a) => ({
                filename: a.filename,
                content: base64Utf8(a.content),
                content_type: a.contentType,
              })),
            }
          : {}),
      };
      let res: Response;
      try {
        res = await fetcher(RESEND_URL, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${apiKey}`,
            'content-type': 'application/json',
            'idempotency-key': email.id,
          },
          body: JSON.stringify(body),
          // Bounded, so a hung connection cannot outlast the outbox lease (see outbox.ts).
          signal: AbortSignal.timeout(20_000),
        });
      } catch (err) {
        throw new Error(`Resend unreachable: ${err instanceof Error ? err.message : 'network error'}`);
      }
      if (res.ok) {
        await res.body?.cancel();
        return;
      }
      // Resend's error body names the problem ({ name, message }); it never echoes the email back.
      const detail = (await res.text().catch(() => '')).slice(0, 300);
      const message = `Resend answered ${res.status}: ${detail}`;
      if (isTransientStatus(res.status)) throw new Error(message);
      throw new PermanentEmailError(message);
    },
  };
}

function base64Utf8(text: string): string {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}
