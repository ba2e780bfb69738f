// The signed-in provider: GET and PATCH /v1/me, GET /v1/me/activity, its billing profile and fee
// schedule, and the secret address of its calendar feed.
import { Hono } from 'hono';
import { MePatchSchema } from '../../shared/schemas/provider';
import { ListQuerySchema } from '../../shared/schemas/common';
import { BillingProfileSchema, FeesSchema } from '../../shared/schemas/billing-profile';
import { listActivity } from '../domain/activity';
import { createFeed, deleteFeed } from '../domain/calendar-feed';
import { getBillingProfile, getFees, putBillingProfile, putFees } from '../domain/billing-profile';
import { me, updateMe } from '../domain/providers';
import { deps } from './context';
import type { AppEnv } from './env';
import { json, query } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const meRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describe({
      summary: 'The signed-in provider and their carriers',
      tag: 'Provider',
      status: 200,
      body: R.MeOut,
    }),
    async (c) => c.json(await me(c.var.data, c.var.provider.id), 200),
  )
  .patch(
    '/',
    describe({ summary: 'Change name, time zone or video link', tag: 'Provider', status: 200, body: R.MeOut }),
    json(MePatchSchema),
    async (c) => c.json(await updateMe(c.var.data, c.var.provider, c.req.valid('json')), 200),
  )
  .get(
    '/activity',
    describe({
      summary: 'The account activity, newest first: sign-ins, sign-outs, client links and billing data, staff changes',
      tag: 'Provider',
      status: 200,
      body: R.ActivityOut,
    }),
    query(ListQuerySchema),
    async (c) => c.json(await listActivity(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .post(
    '/calendar-feed',
    describe({
      summary: 'A new secret calendar feed address (the old one stops working)',
      tag: 'Provider',
      status: 201,
      body: R.CalendarFeedOut,
      description:
        'The address is in this answer only (the server keeps a hash). Not replayed by Idempotency-Key: a retry makes another address and revokes this one.',
    }),
    async (c) => c.json(await createFeed(deps(c), c.var.provider.id), 201),
  )
  .delete(
    '/calendar-feed',
    describe({ summary: 'Turn the calendar feed off', tag: 'Provider', status: 204 }),
    async (c) => {
      await deleteFeed(c.var.data, c.var.provider.id);
      return c.body(null, 204);
    },
  )
  .get(
    '/billing-profile',
    describe({
      summary: 'The billing profile every claim needs (the tax id as its type and last 4 digits)',
      tag: 'Provider',
      status: 200,
      body: R.BillingProfileOut,
    }),
    async (c) => c.json(await getBillingProfile(c.var.data, c.var.provider.id), 200),
  )
  .put(
    '/billing-profile',
    describe({
      summary: 'Replace the billing profile (taxId without value keeps the stored number)',
      tag: 'Provider',
      status: 200,
      body: R.BillingProfileOut,
    }),
    json(BillingProfileSchema),
    async (c) => c.json(await putBillingProfile(deps(c), c.var.provider, c.req.valid('json')), 200),
  )
  .get(
    '/fees',
    describe({ summary: 'The fee schedule: a fee per CPT code', tag: 'Provider', status: 200, body: R.FeesOut }),
    async (c) => c.json(await getFees(c.var.data, c.var.provider.id), 200),
  )
  .put(
    '/fees',
    describe({ summary: 'Replace the fee schedule', tag: 'Provider', status: 200, body: R.FeesOut }),
    json(FeesSchema),
    async (c) => c.json(await putFees(c.var.data, c.var.provider, c.req.valid('json')), 200),
  );
