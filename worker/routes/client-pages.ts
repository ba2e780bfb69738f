// The client's self-service pages (HTML, no bearer token). GET /c/:token trades a link's token for a
// page session (an HttpOnly cookie) and redirects to /c/account, an address without the token; the
// form there completes and later edits the billing info, validated by the API's own
// BillingInfoSchema, every field a claim needs required, stored sensitive values never shown back.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BillingInfoSchema } from '../../shared/schemas/billing';
import { validate } from '../../shared/schemas/common';
import { rowToFields } from '../db/clients';
import {
  formReads,
  type LinkProblem,
  openPage,
  type PageSession,
  recordPageRead,
  SESSION_LIFETIME_MS,
  saveFromPage,
  tradeLink,
} from '../domain/client-pages';
import {
  billingInputFromValues,
  blankRequired,
  type FormValues,
  missingMessage,
  type OnFile,
  type Payer,
  removedFromForm,
  renderAccountForm,
  shownValues,
  valuesFromFields,
  valuesFromForm,
  withOnFile,
} from '../pages/account-form';
import { checkCsrf, issueCsrf, sameOrigin } from '../pages/csrf';
import { type Html, page } from '../pages/layout';
import { pageHeaders, styleNonce } from '../pages/secure-headers';
import {
  continueView,
  endedView,
  expiredView,
  formIntro,
  refusedView,
  revokedView,
  savedView,
  tooLargeView,
  unknownView,
} from '../pages/views';
import type { AppEnv } from './env';
import { MAX_BODY_BYTES } from './validation';

/** The page's address once the token is traded: what the form posts to. */
export const PAGE_PATH = '/c/account';
/** The session cookie, sent as `__Secure-page` (a prefix browsers only accept with Secure). */
const COOKIE = 'page';
const COOKIE_OPTIONS: CookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'Strict',
  path: '/c',
  prefix: 'secure',
};

function html(
  c: Context<AppEnv>,
  title: string,
  body: Html | Html[],
  status: ContentfulStatusCode,
  refreshTo?: string,
) {
  return c.html(page(title, body, styleNonce(c), refreshTo), status);
}

function linkProblem(c: Context<AppEnv>, link: LinkProblem) {
  if (link.state === 'expired') return html(c, 'Link expired', expiredView(link.providerName), 410);
  if (link.state === 'revoked') return html(c, 'Link no longer works', revokedView(link.providerName), 410);
  return html(c, 'Link not valid', unknownView(), 404);
}

/** No usable session: the cookie is dropped and the page says why, with no data. */
function sessionProblem(c: Context<AppEnv>, problem: LinkProblem | { state: 'ended' }) {
  deleteCookie(c, COOKIE, COOKIE_OPTIONS);
  if (problem.state === 'ended') return html(c, 'Page closed', endedView(), 410);
  return linkProblem(c, problem);
}

const sessionToken = (c: Context<AppEnv>) => getCookie(c, COOKIE, 'secure');

async function form(
  c: Context<AppEnv>,
  session: PageSession,
  p: {
    values: FormValues;
    onFile: OnFile;
    removed?: Set<string>;
    errors: Map<string, string>;
    payers: Payer[];
    status: ContentfulStatusCode;
  },
) {
  const firstTime = session.client.status === 'invited';
  const body = [
    formIntro({ firstTime, providerName: session.providerName }),
    renderAccountForm({
      ...p,
      action: PAGE_PATH,
      csrf: await issueCsrf(sessionToken(c)!, session.sessionHash),
    }),
  ];
  return html(
    c,
    `${p.errors.size ? 'Error: ' : ''}${firstTime ? 'Set up your account' : 'Your details'}`,
    body,
    p.status,
  );
}

// The form is at most 64 KiB, like an API body; bigger is a page saying so, not a JSON error.
const limitForm = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => html(c as Context<AppEnv>, 'Not saved', tooLargeView(PAGE_PATH), 413),
});

export const clientPageRoutes = new Hono<AppEnv>()
  .use(pageHeaders)
  .get('/account', async (c) => {
    const token = sessionToken(c);
    const opened = await openPage(c.var.data, token, formReads());
    if (opened.state !== 'ok') {
      // Opened from another site (webmail): the browser held the new cookie back on the redirect.
      // One hop from this page brings it; a same-site request without it is a closed page.
      if (token === undefined && c.req.header('sec-fetch-site') === 'cross-site') {
        return html(c, 'Opening your page', continueView(PAGE_PATH), 200, PAGE_PATH);
      }
      return sessionProblem(c, opened);
    }
    const { session } = opened;
    if (c.req.query('saved') !== undefined) {
      return html(
        c,
        'Details saved',
        savedView({
          firstName: session.client.first_name,
          providerName: session.providerName,
          editHref: PAGE_PATH,
          expiresAt: session.linkExpiresAt,
          timeZone: session.client.time_zone,
        }),
        200,
      );
    }
    await recordPageRead(c.var.data, session);
    const [payers] = opened.more;
    return form(c, session, {
      ...shownValues(valuesFromFields(rowToFields(session.client))),
      errors: new Map(),
      payers,
      status: 200,
    });
  })
  .post('/account', limitForm, async (c) => {
    if (!sameOrigin(c.req.raw, c.env.PUBLIC_URL)) return html(c, 'Not saved', refusedView(PAGE_PATH), 403);
    // Read as bytes: a form body is not `text/*`, and the runtime warns on .text() for it.
    const posted = new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
    const values = valuesFromForm(posted);
    const removed = removedFromForm(posted);
    const token = sessionToken(c);
    const opened = await openPage(c.var.data, token, formReads());
    if (opened.state !== 'ok') return sessionProblem(c, opened);
    const { session } = opened;
    if (!(await checkCsrf(posted.get('csrf'), token!, session.sessionHash))) {
      return html(c, 'Not saved', refusedView(PAGE_PATH), 403);
    }

    // A blank sensitive field keeps what is on file; the API's schema decides what is valid, and
    // the page adds that every field a claim needs is required (on file counts as given).
    const stored = valuesFromFields(rowToFields(session.client));
    const effective = withOnFile(values, stored, removed);
    const errors = new Map<string, string>();
    const result = validate(BillingInfoSchema, billingInputFromValues(effective));
    if (!result.ok) for (const i of result.issues) errors.set(i.path, i.message);
    const [payers] = opened.more;
    const payerId = result.ok ? result.value.insurance?.payerId : undefined;
    if (payerId !== undefined && !payers.some((p) => p.id === payerId)) {
      errors.set('insurance.payerId', 'Choose a carrier from the list');
    }
    for (const path of blankRequired(effective)) if (!errors.has(path)) errors.set(path, missingMessage(path));
    if (!result.ok || errors.size > 0) {
      // What the client typed comes back; what is on file still only as "on file".
      const onFile = shownValues(stored).onFile;
      return form(c, session, { values, onFile, removed, errors, payers, status: 400 });
    }

    if (!(await saveFromPage(c.var.data, session, result.value))) {
      // Revoked or ended between the read above and the save: nothing was saved; say which.
      const now = await openPage(c.var.data, token, []);
      return sessionProblem(c, now.state === 'ok' ? { state: 'ended' } : now);
    }
    // Post/Redirect/Get: reloading the "saved" page never re-submits the form.
    return c.redirect(`${PAGE_PATH}?saved`, 303);
  })
  .get('/:token', async (c) => {
    const traded = await tradeLink(c.var.data, c.req.param('token'));
    if (traded.state !== 'ok') return linkProblem(c, traded);
    setCookie(c, COOKIE, traded.sessionToken, { ...COOKIE_OPTIONS, maxAge: SESSION_LIFETIME_MS / 1000 });
    // The token leaves the address bar (and the history) at once.
    return c.redirect(PAGE_PATH, 303);
  })
  // A form rendered before links were traded for sessions posted to its link: nothing is saved;
  // the link opens the page again, as a first visit does.
  .post('/:token', (c) => c.redirect(`/c/${c.req.param('token')}`, 303));
