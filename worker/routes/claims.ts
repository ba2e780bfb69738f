// Claims, newest first: the complete, valid claim records confirmation creates; their lifecycle
// (status reports, replacement, void) and the 837P exports.
import { Hono } from 'hono';
import {
  ClaimExportSchema,
  ClaimListQuerySchema,
  ClaimReplacementSchema,
  ClaimStatusSchema,
} from '../../shared/schemas/appointment';
import { ListQuerySchema } from '../../shared/schemas/common';
import * as R from '../../shared/schemas/responses';
import { toClaim } from '../db/claims';
import { createExport, exportFile, getExport, listExports } from '../domain/claim-exports';
import { replaceClaim, reportStatus, voidClaim } from '../domain/claim-lifecycle';
import { getClaim, listClaims } from '../domain/claims';
import { deps } from './context';
import { describe } from './describe';
import type { AppEnv } from './env';
import { idempotent } from './middleware/idempotency';
import { json, query } from './validation';

export const claimRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describe({ summary: 'Claims, newest first', tag: 'Claims', status: 200, body: R.PageOf(R.ClaimOut) }),
    query(ClaimListQuerySchema),
    async (c) => c.json(await listClaims(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .post(
    '/exports',
    describe({
      summary: 'Put ready claims into one 837P file; they become exported',
      tag: 'Claims',
      status: 201,
      body: R.ClaimExportOut,
      errors: [404, 409, 422],
    }),
    idempotent,
    json(ClaimExportSchema),
    async (c) => c.json(await createExport(deps(c), c.var.provider, c.req.valid('json'), c.var.remember), 201),
  )
  .get(
    '/exports',
    describe({ summary: '837P exports, newest first', tag: 'Claims', status: 200, body: R.PageOf(R.ClaimExportOut) }),
    query(ListQuerySchema),
    async (c) => c.json(await listExports(c.var.data, c.var.provider.id, c.req.valid('query')), 200),
  )
  .get(
    '/exports/:id',
    describe({ summary: 'One 837P export', tag: 'Claims', status: 200, body: R.ClaimExportOut, errors: [404] }),
    async (c) => c.json(await getExport(c.var.data, c.var.provider.id, c.req.param('id')), 200),
  )
  .get(
    '/exports/:id/file',
    describe({
      summary: 'The export’s 837P file (application/edi-x12), the same bytes on every download',
      tag: 'Claims',
      status: 200,
      errors: [404],
    }),
    async (c) => {
      const { file, filename } = await exportFile(c.var.data, c.var.provider.id, c.req.param('id'));
      return c.body(file, 200, {
        'content-type': 'application/edi-x12',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      });
    },
  )
  .get(
    '/:id',
    describe({ summary: 'One claim', tag: 'Claims', status: 200, body: R.ClaimOut, errors: [404] }),
    async (c) => c.json(await getClaim(c.var.data, c.var.provider.id, c.req.param('id')), 200),
  )
  .post(
    '/:id/status',
    describe({
      summary: 'Record what the clearinghouse or payer answered',
      tag: 'Claims',
      status: 200,
      body: R.ClaimOut,
      errors: [404, 409],
    }),
    json(ClaimStatusSchema),
    async (c) => {
      const { claim, reports } = await reportStatus(deps(c), c.var.provider, c.req.param('id'), c.req.valid('json'));
      return c.json(toClaim(claim, reports), 200);
    },
  )
  .post(
    '/:id/replacement',
    describe({
      summary: 'A corrected claim (frequency 7) for a claim that has left ready; the original becomes replaced',
      tag: 'Claims',
      status: 201,
      body: R.ClaimOut,
      errors: [404, 409, 422],
    }),
    json(ClaimReplacementSchema),
    async (c) =>
      c.json(toClaim(await replaceClaim(deps(c), c.var.provider, c.req.param('id'), c.req.valid('json'))), 201),
  )
  .post(
    '/:id/void',
    describe({
      summary: 'Void a claim: a ready one becomes voided (200); a sent one gets a void claim (201, frequency 8)',
      tag: 'Claims',
      status: 201,
      body: R.ClaimOut,
      errors: [404, 409],
    }),
    async (c) => {
      const { status, claim } = await voidClaim(deps(c), c.var.provider, c.req.param('id'));
      return c.json(toClaim(claim), status);
    },
  );
