// Helpers for the client page tests: a client's emailed link, trading it for the page session as a
// browser would (the cookie from Set-Cookie), and the page and its form at the tokenless address.
import { env } from 'cloudflare:workers';
import { addClient, call, mailTo, makeProvider, type TestProvider } from './helpers';

export const PAGE = '/c/account';
export const LINK_PATH = /http:\/\/127\.0\.0\.1:8787(\/c\/[A-Za-z0-9_-]{43})/;

export const GOOD: Record<string, string> = {
  legalFirstName: 'Ada',
  legalLastName: 'Lovelace',
  dateOfBirth: '1985-12-10',
  sex: 'F',
  phone: '(212) 555 0100',
  'address.line1': '1 Main St',
  'address.line2': '',
  'address.city': 'New York',
  'address.state': 'ny',
  'address.postalCode': '10001',
  'insurance.payerId': 'pay_aetna',
  'insurance.memberId': 'w123456789',
  'insurance.groupNumber': '',
  'insurance.relationship': 'self',
  'insurance.subscriber.firstName': '',
  'insurance.subscriber.lastName': '',
  'insurance.subscriber.dateOfBirth': '',
};

/** The link paths in the emails to `address`, newest first. */
export async function linksTo(address: string): Promise<string[]> {
  return (await mailTo(address)).map((m) => LINK_PATH.exec(m.text)![1]!);
}

/** A client added with "Save and Notify", and the path of the link in their welcome email. */
export async function invited(p?: TestProvider, body: Record<string, unknown> = {}) {
  const provider = p ?? (await makeProvider({ name: 'Dr. Page Turner' }));
  const client = await addClient(provider, { notify: true, firstName: 'Ada', ...body });
  const [path] = await linksTo(client.email);
  return { provider, client, path: path! };
}

/** A client's fresh link by the notify route (`reason` as the popup sends it). */
export async function notify(provider: TestProvider, clientId: string, email: string, reason = 'welcome') {
  const res = await call('POST', `/v1/clients/${clientId}/notify`, { token: provider.token, body: { reason } });
  if (res.status !== 202) throw new Error(`notify: ${res.status} ${await res.text()}`);
  return (await linksTo(email))[0]!;
}

/** GET of a link: the response and, when it set one, the session cookie as a browser sends it back. */
export async function trade(path: string, headers: Record<string, string> = {}) {
  const res = await call('GET', path, { headers });
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie ? setCookie.split(';')[0]! : null;
  return { res, setCookie, cookie };
}

/** The page at its tokenless address with this session cookie (or none). */
export async function openPage(cookie: string | null, query = '', headers: Record<string, string> = {}) {
  const res = await call('GET', `${PAGE}${query}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const html = await res.text();
  return { res, html, csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '' };
}

/** A first visit as a browser makes it: the link, its 303, then the page with the cookie. */
export async function visit(path: string) {
  const traded = await trade(path);
  if (traded.res.status !== 303 || !traded.cookie) throw new Error(`trade: ${traded.res.status}`);
  return { ...(await openPage(traded.cookie)), cookie: traded.cookie };
}

/** The form's post to the tokenless address, with the session cookie (or none). */
export function postPage(cookie: string | null, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return call('POST', PAGE, {
    rawBody: new URLSearchParams(fields).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
  });
}

export const clientRow = (id: string) =>
  env.DB.prepare('SELECT * FROM clients WHERE id = ?').bind(id).first<Record<string, unknown>>();

/** The rendered control for a field, and whether its error is tied to it. */
export function field(html: string, name: string) {
  const id = `f-${name.replace(/\./g, '-')}`;
  const control = new RegExp(`<(input|select)[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? '';
  const error = new RegExp(`<p class="error" id="${id}-error">(?:<span[^>]*>Error: </span>)?([^<]*)</p>`).exec(
    html,
  )?.[1];
  return { control, error, describedBy: /aria-describedby="([^"]*)"/.exec(control)?.[1] ?? '', id };
}

/** The client-actor audit actions recorded for this client, oldest first. */
export async function clientAudit(clientId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT action FROM audit_log WHERE entity_id = ? AND actor_type = 'client' ORDER BY id",
  )
    .bind(clientId)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}
