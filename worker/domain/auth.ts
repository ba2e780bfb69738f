// Passwordless sign-in: a 6-digit code by email, exchanged for a 12-hour bearer token; and the
// token check every /v1 request starts with.
import type { Provider as ProviderView } from '../../shared/api-types';
import * as auth from '../db/auth';
import type { Data } from '../db/data';
import * as idempotency from '../db/idempotency';
import * as providers from '../db/providers';
import { type Hit, hit, type Limit } from '../db/rate-limits';
import { enqueueEmail } from '../email/outbox';
import { signInCodeEmail } from '../email/templates/sign-in-code';
import { now, nowIso } from '../platform/clock';
import { newId, randomToken, sha256Hex, sixDigitCode } from '../platform/crypto';
import { ApiError } from '../platform/errors';
import type { Deps, Provider } from './context';

export const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const CODE_MAX_TRIES = 5;
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** Idempotency-Key records are kept this long (API.md: 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export const LIMITS = {
  codePerEmail: { bucket: 'code-email', max: 5, windowSeconds: 15 * 60 },
  codePerIp: { bucket: 'code-ip', max: 30, windowSeconds: 15 * 60 },
  tokenPerIp: { bucket: 'token-ip', max: 60, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

export const unauthenticated = (message = 'Sign in to continue.') => new ApiError(401, 'unauthenticated', message);

/** 429 with retry-after once a window's max is passed. */
function enforce(h: Hit): void {
  if (h.count <= h.max) return;
  const wait = h.retryAfter >= 60 ? `${Math.ceil(h.retryAfter / 60)} minutes` : `${h.retryAfter} seconds`;
  throw new ApiError(
    429,
    'rate_limited',
    `Too many attempts. Try again in ${wait}.`,
    {},
    {
      'retry-after': String(h.retryAfter),
    },
  );
}

const codeHash = (codeId: string, code: string) => sha256Hex(`${codeId}:${code}`);

/** POST /v1/auth/code: a known provider gets a code by email; an unknown email the same answer. */
export async function requestCode({ data, config }: Deps, email: string, ip: string): Promise<{ sent: boolean }> {
  const [byIp, byEmail, provider] = await data.read([
    await hit(LIMITS.codePerIp, ip),
    await hit(LIMITS.codePerEmail, email.toLowerCase()),
    providers.byEmail(email),
  ]);
  enforce(byIp);
  enforce(byEmail);
  if (!provider) return { sent: false }; // no account enumeration: the caller answers the same
  const id = newId('sic');
  const code = sixDigitCode();
  const t = now();
  await data.write([
    // A new code replaces any earlier one still open.
    auth.closeOpenCodes(provider.id, t.toISOString()),
    auth.insertCode({
      id,
      provider_id: provider.id,
      code_hash: await codeHash(id, code),
      expires_at: new Date(t.getTime() + CODE_LIFETIME_MS).toISOString(),
      created_at: t.toISOString(),
    }),
    enqueueEmail(config, {
      kind: 'sign_in_code',
      to: provider.email,
      providerId: provider.id,
      ...signInCodeEmail({ name: provider.name, code, minutes: CODE_LIFETIME_MS / 60000 }),
    }),
  ]);
  return { sent: true };
}

/** POST /v1/auth/token: the code from the email for a 12-hour token. */
export async function exchangeCode(
  data: Data,
  input: { email: string; code: string; ip: string },
): Promise<{ token: string; expiresAt: string; provider: ProviderView }> {
  const at = nowIso();
  const wrong = () =>
    unauthenticated('That code is wrong or has expired. Check the latest email, or request a new code.');
  // The try is counted before the code is compared: parallel guesses share the 5 tries.
  const [byIp, tried] = await data.read([
    await hit(LIMITS.tokenPerIp, input.ip),
    auth.tryLatestCode(input.email, at, CODE_MAX_TRIES),
  ]);
  enforce(byIp);
  if (!tried || (await codeHash(tried.id, input.code)) !== tried.code_hash) throw wrong();
  const token = randomToken();
  const expiresAt = new Date(now().getTime() + TOKEN_LIFETIME_MS).toISOString();
  // Spend the code and mint the token together; the conditions make a code usable once.
  const [[spent], [provider, carriers]] = await data.writeThenRead(
    [auth.spendCode(tried.id, at), auth.mintTokenIfSpent(await sha256Hex(token), tried.provider_id, at, expiresAt)],
    [providers.byId(tried.provider_id), providers.carriers(tried.provider_id)],
  );
  if (spent?.meta.changes !== 1 || !provider) throw wrong();
  return { token, expiresAt, provider: providers.toProvider(provider, carriers) };
}

export async function logout(data: Data, token: string): Promise<void> {
  await data.write([auth.revokeToken(await sha256Hex(token), nowIso())]);
}

export interface Authenticated {
  provider: Provider;
  /** The saved response for the request's Idempotency-Key, read in the same round trip. */
  saved?: idempotency.StoredResponse;
}

/**
 * The provider a bearer token signs in (401 otherwise) — and, for a request with an
 * Idempotency-Key, that key's saved response, in the same round trip.
 */
export async function authenticate(data: Data, token: string, idempotencyKey?: string): Promise<Authenticated> {
  const tokenHash = await sha256Hex(token);
  const at = nowIso();
  let row: providers.ProviderRow | undefined;
  let saved: idempotency.StoredResponse | undefined;
  if (idempotencyKey === undefined) {
    row = await data.one(providers.byToken(tokenHash, at));
  } else {
    const since = new Date(now().getTime() - IDEMPOTENCY_TTL_MS).toISOString();
    [row, saved] = await data.read([
      providers.byToken(tokenHash, at),
      idempotency.findForToken(tokenHash, at, idempotencyKey, since),
    ]);
  }
  if (!row) throw unauthenticated('Your sign-in has expired or was revoked. Sign in again.');
  return {
    provider: {
      id: row.id,
      name: row.name,
      email: row.email,
      timeZone: row.time_zone,
      npi: row.npi,
      telehealthUrl: row.telehealth_url,
    },
    saved,
  };
}
