// Passwordless sign-in: a 6-digit code by email, exchanged for a 12-hour bearer token; and the
// token check every /v1 request starts with.
import type { Provider as ProviderView } from '../../shared/api-types';
import { audit, auditForEmail, auditIfChanged, providerActor } from '../db/audit';
import * as auth from '../db/auth';
import type { Data } from '../db/data';
import * as idempotency from '../db/idempotency';
import * as providers from '../db/providers';
import { type Hit, hit, hitSinceFirst, type Limit, peekSinceFirst, windowAt, windowReached } from '../db/rate-limits';
import { enqueueEmailIf } from '../email/outbox';
import { CODE_SLOT, MINUTES_SLOT, SIGN_IN_KIND, sealCode } from '../email/sign-in-code-delivery';
import { signInCodeEmail } from '../email/templates/sign-in-code';
import { signInLockedEmail } from '../email/templates/sign-in-locked';
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
  /** Code requests per network address (a flood of addresses from one place): 429. */
  codePerIp: { bucket: 'code-ip', max: 30, windowSeconds: 15 * 60 },
  /** Code emails per address an hour; more requests answer 202 and send nothing. */
  codeEmailsPerAddress: { bucket: 'code-emails', max: 5, windowSeconds: 60 * 60 },
  /** Token attempts per network address an hour: 429. */
  tokenPerIp: { bucket: 'token-ip', max: 30, windowSeconds: 60 * 60 },
  /** Wrong codes per email across codes, an hour from the first: at the max the account is locked. */
  wrongCodesPerAccount: { bucket: 'wrong-codes', max: 10, windowSeconds: 60 * 60 },
} satisfies Record<string, Limit>;

export const unauthenticated = (message = 'Sign in to continue.') => new ApiError(401, 'unauthenticated', message);

const tooMany = (retryAfter: number, what = 'Too many attempts.') => {
  const wait = retryAfter >= 60 ? `${Math.ceil(retryAfter / 60)} minutes` : `${retryAfter} seconds`;
  return new ApiError(429, 'rate_limited', `${what} Try again in ${wait}.`, {}, { 'retry-after': String(retryAfter) });
};

/** 429 with retry-after once a window's max is passed. */
function enforce(h: Hit): void {
  if (h.count > h.max) throw tooMany(h.retryAfter);
}

const codeHash = (codeId: string, code: string) => sha256Hex(`${codeId}:${code}`);

/**
 * POST /v1/auth/code. A known provider gets the live code again, or a new one; an unknown email takes
 * the same steps — the same two round trips, the same statements (keyed by the email, so they simply
 * touch no row), the same sealing work, and the same delivery after the response.
 */
export async function requestCode({ data, config }: Deps, email: string, ip: string): Promise<void> {
  const address = email.toLowerCase();
  const [byIp, emails, wrong, provider] = await data.read([
    await hit(LIMITS.codePerIp, ip),
    await hitSinceFirst(LIMITS.codeEmailsPerAddress, address),
    await peekSinceFirst(LIMITS.wrongCodesPerAccount, address),
    providers.byEmail(address),
  ]);
  enforce(byIp);
  // Over the hourly emails, or locked by wrong codes: the same answer, nothing sent.
  const send = emails.count <= emails.max && wrong.count < wrong.max;
  const t = now();
  const id = newId('sic');
  const code = sixDigitCode();
  await data.write([
    auth.closeStaleCodes(address, t.toISOString(), CODE_MAX_TRIES),
    // A new code only when there is no live one; otherwise the email below re-sends that one.
    auth.insertCodeUnlessLive(
      {
        id,
        code_hash: await codeHash(id, code),
        code_sealed: await sealCode(config, id, code),
        expires_at: new Date(t.getTime() + CODE_LIFETIME_MS).toISOString(),
        created_at: t.toISOString(),
      },
      address,
      send,
      CODE_MAX_TRIES,
    ),
    enqueueEmailIf(
      config,
      {
        kind: SIGN_IN_KIND,
        to: address,
        providerId: provider?.id ?? null,
        dedupeKey: `sign-in:${id}`,
        // The code and the minutes left go in at delivery, from the sealed live code.
        ...signInCodeEmail({ name: provider?.name ?? '', code: CODE_SLOT, minutes: MINUTES_SLOT }),
      },
      auth.providerWithEmail(address, send),
    ),
  ]);
}

/** POST /v1/auth/token: the code from the email for a 12-hour token. */
export async function exchangeCode(
  { data, config }: Deps,
  input: { email: string; code: string; ip: string },
  onEmailQueued: () => void = () => {},
): Promise<{ token: string; expiresAt: string; provider: ProviderView }> {
  const at = nowIso();
  const address = input.email.toLowerCase();
  const wrongCode = () =>
    unauthenticated('That code is wrong or has expired. Check the latest email, or request a new code.');
  const ipLimit = LIMITS.tokenPerIp;
  const accountLimit = LIMITS.wrongCodesPerAccount;
  // The try is counted before the code is compared: parallel guesses share the 5 tries. It is not
  // counted at all when this address or this account is over its limit (the answer is 429 then).
  const [byIp, wrong, tried, provider] = await data.read([
    await hitSinceFirst(ipLimit, input.ip),
    await peekSinceFirst(accountLimit, address),
    auth.tryLatestCode(address, at, CODE_MAX_TRIES, [
      await windowReached(ipLimit, input.ip, ipLimit.max + 1, at),
      await windowReached(accountLimit, address, accountLimit.max, at),
    ]),
    providers.byEmail(address),
  ]);
  enforce(byIp);
  if (wrong.count >= accountLimit.max) {
    throw tooMany(wrong.retryAfter, 'Too many wrong codes for this account; signing in is paused.');
  }
  if (!tried || (await codeHash(tried.id, input.code)) !== tried.code_hash) {
    // Counted per account across codes; the count that reaches the cap locks the account, writes
    // signin.locked and queues the one warning email (conditions in SQL: parallel guesses agree).
    const reachedCap = await windowAt(accountLimit, address, accountLimit.max, at);
    const [count] = await data.read(
      [await hitSinceFirst(accountLimit, address)],
      [
        auditForEmail({ actorType: 'provider', actorIsProvider: false, action: 'signin.failed' }, address),
        auditForEmail({ actorType: 'system', actorIsProvider: false, action: 'signin.locked' }, address, reachedCap),
        enqueueEmailIf(
          config,
          {
            kind: 'sign_in_locked',
            to: address,
            providerId: provider?.id ?? null,
            dedupeKey: `sign-in-locked:${address}:${wrong.count > 0 ? wrong.expiresAt : at}`,
            ...signInLockedEmail({
              name: provider?.name ?? '',
              wrongCodes: accountLimit.max,
              minutes: accountLimit.windowSeconds / 60,
            }),
          },
          auth.providerWithEmail(address, reachedCap),
        ),
      ],
    );
    if (count.count === accountLimit.max && provider) onEmailQueued();
    throw wrongCode();
  }
  const token = randomToken();
  const expiresAt = new Date(now().getTime() + TOKEN_LIFETIME_MS).toISOString();
  // Spend the code and mint the token together; the conditions make a code usable once.
  const [[spent], [row, carriers]] = await data.writeThenRead(
    [
      auth.spendCode(tried.id, at),
      auth.mintTokenIfSpent(await sha256Hex(token), tried.provider_id, at, expiresAt),
      auditIfChanged({ ...signedIn(tried.provider_id), action: 'signin.succeeded' }),
    ],
    [providers.byId(tried.provider_id), providers.carriers(tried.provider_id)],
  );
  if (spent?.meta.changes !== 1 || !row) throw wrongCode();
  return { token, expiresAt, provider: providers.toProvider(row, carriers) };
}

const signedIn = (providerId: string) =>
  ({ ...providerActor(providerId), entityType: 'provider', entityId: providerId }) as const;

export async function logout(data: Data, providerId: string, token: string): Promise<void> {
  await data.write([
    auth.revokeToken(await sha256Hex(token), nowIso()),
    auditIfChanged({ ...signedIn(providerId), action: 'logout' }),
  ]);
}

/** POST /v1/auth/logout-all: every token of the provider (a lost laptop), the one in use included. */
export async function logoutEverywhere(data: Data, providerId: string): Promise<void> {
  await data.write([
    auth.revokeAllTokens(providerId, nowIso()),
    audit({ ...signedIn(providerId), action: 'logout_all' }),
  ]);
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
