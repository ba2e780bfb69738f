// CSRF tokens for the client pages: issued with each render, an HMAC bound to the link.
// The key is the raw link token, which the server sees only in the URL and never stores, and the
// message names the link's stored hash and the issue time: a site that does not know the link
// cannot forge one, a token from one link is refused by another, and an old one goes stale.
import { now } from '../platform/clock';
import { base64url } from '../platform/crypto';

export const CSRF_LIFETIME_MS = 24 * 60 * 60 * 1000;

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

export async function issueCsrf(linkToken: string, tokenHash: string): Promise<string> {
  const t = now().getTime().toString(36);
  return `${t}.${await hmac(linkToken, `csrf|${tokenHash}|${t}`)}`;
}

export async function checkCsrf(
  given: string | null,
  linkToken: string,
  tokenHash: string,
): Promise<'ok' | 'stale' | 'bad'> {
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(given ?? '');
  if (!m) return 'bad';
  const expected = await hmac(linkToken, `csrf|${tokenHash}|${m[1]}`);
  // Both are 43 base64url characters (the pattern above; an HMAC-SHA-256), so equal in length, as
  // the runtime's constant-time comparison requires.
  const encoder = new TextEncoder();
  if (!crypto.subtle.timingSafeEqual(encoder.encode(expected), encoder.encode(m[2]!))) return 'bad';
  const age = now().getTime() - parseInt(m[1]!, 36);
  return age >= 0 && age <= CSRF_LIFETIME_MS ? 'ok' : 'stale';
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
