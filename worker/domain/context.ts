// What every use-case receives: the data-access object and the Worker's settings — never a Hono
// Context, never the D1 binding itself.
import type { Data } from '../db/data';
import type { Config } from '../platform/config';

export type { Config };

export interface Deps {
  data: Data;
  config: Config;
}

/** The signed-in provider, as the auth middleware found it. */
export interface Provider {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  npi: string;
  telehealthUrl: string | null;
}

/**
 * Saves the response of an idempotent request in the same batch as its change (`Idempotency-Key`):
 * given the status and body, the statements to put first in that batch.
 */
export type Remember = (status: number, body: unknown) => import('../db/batch').Statement[];
