// Development only: the local mailbox, newest first, as HTML and JSON.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { mailboxMessages } from '../domain/operations';
import type { AppEnv } from './env';
import { ApiError } from '../platform/errors';
import { joined } from '../pages/layout';
import { mailboxHeaders, styleNonce } from '../pages/secure-headers';

export const devMailRoutes = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    if (c.env.ENVIRONMENT !== 'development' && c.env.ENVIRONMENT !== 'test') {
      throw new ApiError(404, 'not_found', 'No such route.');
    }
    await next();
  })
  .get('/mail.json', async (c) => c.json({ items: await mailboxMessages(c.var.data, 500) }, 200))
  .use('/mail', mailboxHeaders)
  .get('/mail', async (c) => {
    const items = await mailboxMessages(c.var.data, 200);
    const list = items.map(
      (m) => html`<article>
<h2>${m.subject}</h2>
<p class="meta">To ${m.to.join(', ')} · from ${m.from} · ${m.sentAt}</p>
<details open><summary>Text</summary><pre>${linkify(m.text)}</pre></details>
<details><summary>HTML</summary><iframe sandbox title="HTML of ${m.subject}" srcdoc="${m.html}"></iframe></details>
${m.attachments.map((a) => html`<details><summary>Attachment ${a.filename} (${a.contentType})</summary><pre>${a.content}</pre></details>`)}
</article>`,
    );
    return c.html(
      html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Local mailbox · Caseload</title><style nonce="${styleNonce(c)}">
body{font-family:system-ui,sans-serif;max-width:860px;margin:24px auto;padding:0 16px;color:#1f2933}
article{border:1px solid #cbd2d9;border-radius:8px;padding:12px 16px;margin:16px 0}
h2{font-size:18px;margin:0 0 4px}.meta{color:#52606d;font-size:13px;margin:0 0 8px}
pre{white-space:pre-wrap;background:#f5f7fa;padding:8px;border-radius:4px}iframe{width:100%;height:420px;border:1px solid #cbd2d9}
@media (prefers-color-scheme: dark){body{background:#111;color:#eee}pre{background:#222}}
</style></head><body><h1>Local mailbox</h1><p>${items.length} message${items.length === 1 ? '' : 's'}, newest first. JSON: <a href="/dev/mail.json">/dev/mail.json</a></p>${list.length ? joined(list, '\n') : html`<p>No email yet.</p>`}</body></html>`,
      200,
    );
  });

/** Plain text with its URLs as links; html`` escapes the text and the URLs alike. */
function linkify(text: string) {
  const parts: unknown[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<]+/g)) {
    parts.push(text.slice(last, m.index), html`<a href="${m[0]}">${m[0]}</a>`);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}
