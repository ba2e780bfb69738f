// The frame of the client's self-service pages: one inline stylesheet (no outside assets),
// mobile-first, visible focus, dark mode. HTML through hono/html: every value put in is escaped.
// Their security headers (CSP with the stylesheet's nonce, no framing) are in ./secure-headers.ts.
import { html, raw } from 'hono/html';

/** What html`` returns: a fragment whose own markup is trusted and whose values were escaped. */
export type Html = ReturnType<typeof html>;

/** html`` puts an array's items side by side; this puts `separator` between them, as join() would. */
export function joined<T>(items: T[], separator: string): (T | string)[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [separator, item]));
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2933;background:#f5f7fa}
main{max-width:40rem;margin:0 auto;padding:1rem}
.card{background:#fff;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:0 0 .5rem}
fieldset{border:0;padding:0;margin:0 0 1.25rem}legend{font-weight:700;font-size:1.1rem;margin:0 0 .5rem;padding:0}
.field{margin:0 0 1rem}label{display:block;font-weight:600;margin:0 0 .25rem}
.opt{font-weight:400;color:#52606d}
.check{display:flex;gap:.5rem;align-items:center;margin:.5rem 0 0}.check input{width:1.25rem;min-height:1.25rem;margin:0}.check label{font-weight:400;margin:0}
.hint{display:block;color:#52606d;font-size:.9rem;margin:0 0 .25rem;font-weight:400}
input,select{display:block;width:100%;font:inherit;padding:.6rem .7rem;border:2px solid #7b8794;border-radius:6px;background:#fff;color:inherit;min-height:2.75rem}
input:focus,select:focus,a:focus,button:focus{outline:3px solid #f0b429;outline-offset:2px}
.row{display:grid;gap:0 1rem;grid-template-columns:1fr}
@media (min-width:34rem){.row{grid-template-columns:1fr 1fr}}
.invalid input,.invalid select{border-color:#ba2525}
.error{color:#ba2525;font-weight:600;margin:.25rem 0 0}
.summary{border:3px solid #ba2525;border-radius:8px;padding:1rem;margin:0 0 1rem;background:#fff}
.summary:focus{outline:3px solid #f0b429}
.summary a{color:#ba2525}
button{font:inherit;font-weight:700;color:#fff;background:#2857c5;border:0;border-radius:6px;padding:.75rem 1.25rem;min-height:2.75rem;cursor:pointer;width:100%}
@media (min-width:34rem){button{width:auto}}
.ok{border-left:4px solid #3f9142;padding:.5rem 1rem;background:#e3f9e5}
.small{font-size:.9rem;color:#52606d}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form:has(select[name="insurance.relationship"] option[value="self"]:checked) .subscriber{display:none}
@media (prefers-color-scheme:dark){
body{background:#121417;color:#e4e7eb}.card,.summary{background:#1f2328}
input,select{background:#15181c;border-color:#9aa5b1}.hint,.small,.opt{color:#b0bac5}a{color:#8ab4f8}
.ok{background:#173b1f}.error,.summary a{color:#ff9b9b}.summary,.invalid input,.invalid select{border-color:#ff9b9b}
}`;

/** `refreshTo`: a same-site address the page loads at once (the session cookie's hop, views.ts). */
export function page(title: string, body: Html | Html[], nonce: string, refreshTo?: string): Html {
  // raw(CSS): the stylesheet is the constant above, no value from a request, and its quotes
  // (font names, attribute selectors) must stay quotes.
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${refreshTo ? html`<meta http-equiv="refresh" content="0;url=${refreshTo}">` : ''}
<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="same-origin">
<title>${title} · Caseload</title><style nonce="${nonce}">${raw(CSS)}</style></head>
<body><main>${body}</main></body></html>`;
}
