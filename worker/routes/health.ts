// Liveness: the Worker answers, D1 answers, and the settings are usable (else 503 misconfigured). `?db=0` skips D1: the bare route benchmarks measure against.
import { Hono } from 'hono';
import { health } from '../domain/operations';
import type { AppEnv } from './env';
import { deps } from './context';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const healthRoutes = new Hono<AppEnv>().get(
  '/',
  describe({
    summary: 'Liveness of the Worker and D1 (`?db=0` skips D1)',
    tag: 'Operations',
    status: 200,
    body: R.HealthOut,
    errors: [503],
    public: true,
  }),
  async (c) => {
    const result = await health(deps(c), c.req.query('db') !== '0');
    return c.json(result, result.ok ? 200 : 503);
  },
);
