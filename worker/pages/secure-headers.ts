// Security headers of the HTML pages, through Hono's secure-headers middleware: nothing loads from
// anywhere, no script runs (the pages have none), the one <style> runs by a per-response nonce,
// forms post only here, and no site can frame a page.
import type { Context } from 'hono';
import { NONCE, secureHeaders } from 'hono/secure-headers';

const policy = {
  defaultSrc: ["'none'"],
  styleSrc: [NONCE],
  imgSrc: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/** The client's pages (/c/:token). */
export const pageHeaders = secureHeaders({
  contentSecurityPolicy: policy,
  // The link token is in the URL: never in a Referer to anyone else. Not no-referrer: that makes
  // browsers send `Origin: null` on the form's own POST, hiding that it is same-origin (csrf.ts).
  referrerPolicy: 'same-origin',
  xFrameOptions: 'DENY',
});

/** The local mailbox (/dev/mail): no form to protect, so no referrer at all. */
export const mailboxHeaders = secureHeaders({
  contentSecurityPolicy: {
    ...policy,
    // Each email is shown in a sandboxed srcdoc frame, which takes this page's policy, and emails
    // style by attribute (mail clients drop <style>). Attributes cannot run script, and with
    // default-src 'none' they cannot load anything either.
    styleSrcAttr: ["'unsafe-inline'"],
  },
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
});

/** The nonce the headers above put in this response's policy, for the page's <style>. */
export function styleNonce(c: Context): string {
  const nonce = c.get('secureHeadersNonce');
  if (!nonce) throw new Error('The page headers middleware must run before a page is rendered');
  return nonce;
}
