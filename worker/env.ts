// The Worker's bindings and the typed Hono environment every route uses.
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';

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
    db: Kysely<Database>;
    provider: AuthedProvider;
    /** Raw request body text once read (bounded to 64 KiB), for idempotency hashing. */
    rawBody: string | undefined;
  };
}
