// The client's self-service pages (HTML, no bearer token): GET/POST /c/:token — complete and later
// edit the billing info, validated by the API's own BillingInfoSchema, every field a claim needs required.
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BillingInfoSchema } from '../../shared/schemas/billing';
import { validate } from '../../shared/schemas/common';
import { bodyLimit } from 'hono/body-limit';
import { rowToFields } from '../db/clients';
import {
  carrierChoices,
  isKnownPayer,
  type OpenedLink,
  openLink,
  recordPageRead,
  saveFromPage,
} from '../domain/client-pages';
import type { AppEnv } from './env';
import { MAX_BODY_BYTES } from './validation';
import {
  billingInputFromValues,
  blankRequired,
  type FormValues,
  missingMessage,
  renderAccountForm,
  valuesFromFields,
  valuesFromForm,
} from '../pages/account-form';
import { checkCsrf, issueCsrf, sameOrigin } from '../pages/csrf';
import { type Html, page } from '../pages/layout';
import { pageHeaders, styleNonce } from '../pages/secure-headers';
import { expiredView, formIntro, refusedView, savedView, tooLargeView, unknownView } from '../pages/views';

type Opened = Extract<OpenedLink, { state: 'ok' }>;

function html(c: Context<AppEnv>, title: string, body: Html | Html[], status: ContentfulStatusCode) {
  return c.html(page(title, body, styleNonce(c)), status);
}

function linkProblem(c: Context<AppEnv>, link: OpenedLink) {
  if (link.state === 'expired') return html(c, 'Link expired', expiredView(link.providerName), 410);
  return html(c, 'Link not valid', unknownView(), 404);
}

async function form(
  c: Context<AppEnv>,
  link: Opened,
  token: string,
  values: FormValues,
  errors: Map<string, string>,
  status: ContentfulStatusCode,
  notice?: string,
) {
  const body = [
    formIntro({ firstTime: link.client.status === 'invited', providerName: link.providerName }),
    renderAccountForm({
      values,
      errors,
      payers: await carrierChoices(c.var.data),
      csrf: await issueCsrf(token, link.tokenHash),
      notice,
    }),
  ];
  return html(
    c,
    `${errors.size ? 'Error: ' : ''}${link.client.status === 'invited' ? 'Set up your account' : 'Your details'}`,
    body,
    status,
  );
}

// The form is at most 64 KiB, like an API body; bigger is a page saying so, not a JSON error.
const limitForm = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => html(c as Context<AppEnv>, 'Not saved', tooLargeView(`/c/${c.req.param('token')}`), 413),
});

export const clientPageRoutes = new Hono<AppEnv>()
  .use(pageHeaders)
  .get('/:token', async (c) => {
    const token = c.req.param('token');
    const link = await openLink(c.var.data, token);
    if (link.state !== 'ok') return linkProblem(c, link);
    if (c.req.query('saved') !== undefined) {
      return html(
        c,
        'Details saved',
        savedView({
          firstName: link.client.first_name,
          providerName: link.providerName,
          editHref: `/c/${token}`,
          expiresAt: link.expiresAt,
          timeZone: link.client.time_zone,
        }),
        200,
      );
    }
    await recordPageRead(c.var.data, link);
    return form(c, link, token, valuesFromFields(rowToFields(link.client)), new Map(), 200);
  })
  .post('/:token', limitForm, async (c) => {
    const token = c.req.param('token');
    const link = await openLink(c.var.data, token);
    if (link.state !== 'ok') return linkProblem(c, link);
    const editHref = `/c/${token}`;
    if (!sameOrigin(c.req.raw, c.env.PUBLIC_URL)) return html(c, 'Not saved', refusedView(editHref), 403);
    const posted = new URLSearchParams(await c.req.text());
    const csrf = await checkCsrf(posted.get('csrf'), token, link.tokenHash);
    if (csrf === 'bad') return html(c, 'Not saved', refusedView(editHref), 403);
    const values = valuesFromForm(posted);
    if (csrf === 'stale') {
      return form(
        c,
        link,
        token,
        values,
        new Map(),
        400,
        'This page was open for a long time, so nothing was saved yet. Check your details and save again.',
      );
    }

    // The API's schema decides what is valid; the page adds that every field a claim needs is required.
    const errors = new Map<string, string>();
    const result = validate(BillingInfoSchema, billingInputFromValues(values));
    if (!result.ok) for (const i of result.issues) errors.set(i.path, i.message);
    if (result.ok) {
      if (!(await isKnownPayer(c.var.data, result.value.insurance?.payerId ?? null))) {
        errors.set('insurance.payerId', 'Choose a carrier from the list');
      }
    }
    for (const path of blankRequired(values)) if (!errors.has(path)) errors.set(path, missingMessage(path));
    if (!result.ok || errors.size > 0) return form(c, link, token, values, errors, 400);

    await saveFromPage(c.var.data, link, result.value);
    // Post/Redirect/Get: reloading the "saved" page never re-submits the form.
    return c.redirect(`/c/${token}?saved`, 303);
  });
