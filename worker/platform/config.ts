// The Worker's settings: the bindings wrangler.toml declares (generated types), the secrets, and
// Config — everything but the database binding, which is what the layers above db/ are given.
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
