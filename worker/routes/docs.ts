// The API describes itself: the OpenAPI 3.1 document generated from the /v1 route chain (its
// validators give each operation's body and parameters), served at GET /v1/openapi.json, and a
// reference page rendered from it at GET /docs in development only.
import { Scalar } from '@scalar/hono-api-reference';
import { Hono } from 'hono';
import { generateSpecs } from 'hono-openapi';
import type { AppEnv } from './env';
import { ApiError } from '../platform/errors';

const ERROR = {
  description: 'The error shape of every failure (API.md, Errors)',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
};

/** The document for the /v1 sub-app `v1`, mounted at /v1. */
// biome-ignore lint/suspicious/noExplicitAny: any sub-app (typing it as V1 would make V1's type circular)
export async function openApiDocument(v1: Hono<AppEnv, any, any>): Promise<Record<string, unknown>> {
  const spec = await generateSpecs(new Hono<AppEnv>().route('/v1', v1), {
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'Caseload API',
        version: '1',
        description:
          'The contract between the Caseload extension (and any other client) and the Worker. Conventions, every error code and the rules of each route: docs/API.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'The token of POST /v1/auth/token' },
        },
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { type: 'string', examples: ['validation_failed'] },
                  message: { type: 'string' },
                  issues: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['path', 'message'],
                      properties: {
                        path: { type: 'string', examples: ['address.postalCode'] },
                        message: { type: 'string' },
                      },
                    },
                  },
                  existingClientId: { type: 'string' },
                  conflicts: { type: 'array', items: { type: 'string' } },
                  missing: { type: 'array', items: { type: 'string' } },
                  settingsUrl: { type: 'string' },
                  payerId: { type: 'string' },
                },
              },
            },
          },
        },
      },
      security: [{ bearer: [] }],
    },
    defaultOptions: {
      ALL: { responses: { default: ERROR } },
    },
    defaultValidationErrorResponse: {
      description: 'validation_failed (one issue per bad field) or bad_json',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    },
  });
  return spec as unknown as Record<string, unknown>;
}

export const docsRoutes = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    if (c.env.ENVIRONMENT !== 'development' && c.env.ENVIRONMENT !== 'test') {
      throw new ApiError(404, 'not_found', 'No such route.');
    }
    await next();
  })
  .get('/', Scalar({ url: '/v1/openapi.json', pageTitle: 'Caseload API reference' }));
