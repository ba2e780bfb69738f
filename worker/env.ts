// The Worker's bindings and the typed Hono environment every route uses.
import type { Data } from './db/data';
import type { StoredResponse } from './db/idempotency';
import type { Remember } from './domain/context';

export interface Bindings {
  DB: D1Database;
  /** production | development | test — /dev/* routes exist only outside production. */
  ENVIRONMENT: string;
  /** Origin that client self-service links point at. */
  PUBLIC_URL: string;
  EMAIL_FROM: string;
  /** mailbox | resend | cloudflare; empty: emails stay queued. */
  EMAIL_TRANSPORT: string;
  /** Operations routes answer 404 when this secret is unset. */
  ADMIN_TOKEN?: string;
  /** base64 of 32 bytes: AES-GCM key for progress notes at rest. */
  NOTES_KEY?: string;
  RESEND_API_KEY?: string;
  /** Cloudflare Email Service `send_email` binding (EMAIL_TRANSPORT=cloudflare). */
  SEND_EMAIL?: SendEmail;
}

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
