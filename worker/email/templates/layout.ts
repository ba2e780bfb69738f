// The shared frame of every email: HTML through hono/html, so every value put in is escaped, with
// inline styles (mail clients drop <style>).
import { html } from 'hono/html';

/** What html`` returns: a fragment whose own markup is trusted and whose values were escaped. */
export type Html = ReturnType<typeof html>;

/**
 * The outbox stores the HTML as a string. html`` only returns a promise when a value put in is one,
 * and no template puts one in, so the fragment is always ready here.
 */
function toHtmlString(fragment: Html): string {
  if (fragment instanceof Promise) throw new Error('Email HTML must be built from plain values');
  return fragment.toString();
}

export function htmlFrame(title: string, body: Html): string {
  return toHtmlString(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="margin:0;padding:24px;background:#f6f7f9;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1f2933">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
${body}
<p style="margin-top:32px;font-size:12px;color:#616e7c">Sent by Caseload on behalf of your therapist. If you did not expect this email, you can ignore it.</p>
</div></body></html>`);
}

export function button(href: string, label: string): Html {
  return html`<p><a href="${href}" style="display:inline-block;background:#2857c5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${label}</a></p>`;
}
