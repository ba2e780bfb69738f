// The provider's calendar feed (no bearer token: the secret address is the credential):
// GET /feed/:token.ics for the calendar apps that subscribe to it.
import { Hono } from 'hono';
import { readFeed } from '../domain/calendar-feed';
import { notFound } from '../platform/errors';
import type { AppEnv } from './env';

/** How long a calendar app (or anything between) may keep a copy: private, 5 minutes (API.md). */
export const FEED_CACHE_CONTROL = 'private, max-age=300';

export const feedRoutes = new Hono<AppEnv>().get('/:file', async (c) => {
  const file = c.req.param('file');
  const ics = file.endsWith('.ics') ? await readFeed(c.var.data, file.slice(0, -'.ics'.length)) : null;
  // Unknown, revoked or malformed: one answer, saying nothing about which.
  if (ics === null) throw notFound('Calendar feed');
  return c.body(ics, 200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': FEED_CACHE_CONTROL });
});
