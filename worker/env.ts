// The Worker's bindings and the typed Hono environment every route uses.
import type { Data } from './db/data';
import type { StoredResponse } from './db/idempotency';
import type { Remember } from './domain/context';

/**
 * Secrets (`wrangler secret put …`, locally `.dev.vars`) and the optional `send_email` binding: not in
 * wrangler.toml, so `wrangler types` cannot see them. Each is optional because the Worker runs
 * without it. (An intersection, not a merge into Cloudflare.Env, so adding `[[send_email]]` to
 * wrangler.toml later only makes SEND_EMAIL required instead of failing to compile.)
 */
export interface Secrets {
  /** Operations routes answer 404 when this secret is unset. */
  ADMIN_TOKEN?: string;
  /** base64 of 32 bytes (several comma-separated, current first): AES-GCM key for progress notes. */
  NOTES_KEY?: string;
  /** EMAIL_TRANSPORT=resend. */
  RESEND_API_KEY?: string;
  /** Cloudflare Email Service `send_email` binding (EMAIL_TRANSPORT=cloudflare). */
  SEND_EMAIL?: SendEmail;
}

/**
 * The Worker's bindings: DB and the [vars] generated from wrangler.toml by `npm run cf-types` into
 * worker/worker-configuration.d.ts (CI fails when that file is stale), plus the secrets.
 */
export type Bindings = CloudflareBindings & Secrets;

/** The Worker's settings and secrets: everything but the database binding (what the layers above db see). */
export type Config = Omit<Bindings, 'DB'>;

export interface AuthedProvider {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  npi: string;
  telehealthUrl: string | null;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    /** The request's data-access object (db/data.ts), over the D1 binding. */
    data: Data;
    provider: AuthedProvider;
    /** The saved response for this request's Idempotency-Key, read together with the token. */
    idempotencySaved: StoredResponse | undefined;
    /** On an idempotent route with a key: saves the response in the change's own batch. */
    remember: Remember | undefined;
  };
}
