// The client's self-service pages (HTML, no bearer token): GET/POST /c/:token — complete and later
// edit the billing info, validated by the API's own BillingInfoSchema, every field a claim needs required.
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BillingInfoSchema, billingToFields } from '../../shared/schemas/billing';
import { validate } from '../../shared/schemas/common';
import { nowIso } from '../clock';
import { runBatch } from '../db/batch';
import { fieldsToRow, rowToFields, unknownPayerIssue } from '../db/clients';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { auditQuery, auditRead } from '../lib/audit';
import { readBody } from '../lib/body';
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
import { type OpenedLink, openLink } from '../pages/link';
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

const payers = (c: Context<AppEnv>) => c.var.db.selectFrom('payers').select(['id', 'name']).orderBy('name').execute();

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
      payers: await payers(c),
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

const clientActor = (link: Opened) =>
  ({
    actorType: 'client',
    actorId: link.client.id,
    providerId: link.client.provider_id,
    entityType: 'client',
    entityId: link.client.id,
  }) as const;

export const clientPageRoutes = new Hono<AppEnv>()
  .use(pageHeaders)
  .get('/:token', async (c) => {
    const token = c.req.param('token');
    const link = await openLink(c.var.db, token);
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
    await auditRead(c.var.db, { ...clientActor(link), action: 'billing.read' });
    return form(c, link, token, valuesFromFields(rowToFields(link.client)), new Map(), 200);
  })
  .post('/:token', async (c) => {
    const token = c.req.param('token');
    const db = c.var.db;
    const link = await openLink(db, token);
    if (link.state !== 'ok') return linkProblem(c, link);
    const editHref = `/c/${token}`;
    if (!sameOrigin(c.req.raw, c.env.PUBLIC_URL)) return html(c, 'Not saved', refusedView(editHref), 403);
    let text: string;
    try {
      text = await readBody(c);
    } catch (err) {
      if (err instanceof ApiError && err.status === 413) return html(c, 'Not saved', tooLargeView(editHref), 413);
      throw err;
    }
    const posted = new URLSearchParams(text);
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
      const payerIssue = await unknownPayerIssue(db, result.value.insurance?.payerId ?? null);
      if (payerIssue) errors.set(payerIssue.path, payerIssue.message);
    }
    for (const path of blankRequired(values)) if (!errors.has(path)) errors.set(path, missingMessage(path));
    if (!result.ok || errors.size > 0) return form(c, link, token, values, errors, 400);

    await runBatch(c.env.DB, [
      db
        .updateTable('clients')
        .set({ ...fieldsToRow(billingToFields(result.value)), status: 'active', updated_at: nowIso() })
        .where('id', '=', link.client.id)
        .where('provider_id', '=', link.client.provider_id)
        .compile(),
      auditQuery(db, { ...clientActor(link), action: 'billing.update' }),
    ]);
    // Post/Redirect/Get: reloading the "saved" page never re-submits the form.
    return c.redirect(`/c/${token}?saved`, 303);
  });
