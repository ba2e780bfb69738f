// CSRF tokens for the client pages: issued with each render, an HMAC bound to the page session.
// The key is the session's secret, which only the browser's HttpOnly cookie holds (the server
// stores its hash), and the message names the session's stored hash: a site that does not hold the
// session cannot forge one, and a token from one session is refused by another. The session itself
// ends after 30 minutes, so the token needs no clock of its own.
import { base64url } from '../platform/crypto';

async function hmac(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(message))));
}

export const issueCsrf = (sessionToken: string, sessionHash: string): Promise<string> =>
  hmac(sessionToken, `csrf|${sessionHash}`);

export async function checkCsrf(given: string | null, sessionToken: string, sessionHash: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(given ?? '')) return false;
  const expected = await hmac(sessionToken, `csrf|${sessionHash}`);
  // Both are 43 base64url characters (the pattern above; an HMAC-SHA-256), so equal in length, as
  // the runtime's constant-time comparison requires.
  const encoder = new TextEncoder();
  return crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(given!));
}

/**
 * A browser's own word on where a POST comes from: a cross-site Origin or Sec-Fetch-Site is refused
 * even with a valid token. Requests without either header (older browsers, tests) rely on the token.
 * `Origin: null` (sent by privacy settings and sandboxed frames) says nothing either way, so then
 * Sec-Fetch-Site, when present, has to say same-origin.
 */
export function sameOrigin(req: Request, publicUrl: string): boolean {
  const site = req.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.headers.get('origin');
  if (!origin || origin === 'null') return true;
  const allowed = new Set([new URL(req.url).origin]);
  try {
    allowed.add(new URL(publicUrl).origin);
  } catch {
    // PUBLIC_URL unset or malformed: the request's own origin is the only one.
  }
  return allowed.has(origin);
}
