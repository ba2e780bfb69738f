// The client's self-service page: trading a link's token for a page session, opening the page with
// that session, and saving the billing info the client enters there (validated by the route with the
// API's own BillingInfoSchema). A link works only while it is unrevoked, unexpired and its client's
// address is still the one it was sent to; a session only while its link works and for 30 minutes.
import type * as v from 'valibot';
import type { BillingInfoSchema } from '../../shared/schemas/billing';
import { billingToFields } from '../../shared/schemas/billing';
import { type AuditEntry, audit } from '../db/audit';
import { isGuardFailure } from '../db/batch';
import * as links from '../db/client-links';
import type { LinkRow } from '../db/client-links';
import * as sessions from '../db/client-page-sessions';
import * as clients from '../db/clients';
import type { ClientRow } from '../db/clients';
import type { Data, Read, ReadResults } from '../db/data';
import * as payers from '../db/payers';
import { now, nowIso } from '../platform/clock';
import { randomToken, sha256Hex } from '../platform/crypto';

/** API.md: the page session a link is traded for lasts 30 minutes. */
export const SESSION_LIFETIME_MS = 30 * 60_000;

/** Why a link (or the session opened with it) does not open the page. */
export type LinkProblem =
  | { state: 'expired' | 'revoked'; providerName: string }
  /** Not a link of ours, or its client is gone: nothing to say about it. */
  | { state: 'unknown' };

export interface PageSession {
  sessionHash: string;
  client: ClientRow;
  providerName: string;
  /** When the link the session was opened with expires. */
  linkExpiresAt: string;
}

// randomToken(): 32 bytes as base64url, 43 characters. Anything else is not worth a lookup.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A link's state, from its row and its client's. */
function linkState(link: LinkRow | undefined, client: ClientRow | undefined): LinkProblem | { state: 'ok' } {
  // Single-purpose: only an account link opens the account page.
  if (link?.purpose !== 'account' || !client) return { state: 'unknown' };
  // Bound to the address it went to: a changed email revokes it even if the revocation were missed.
  if (link.revoked_at !== null || link.sent_to !== client.email_lower) {
    return { state: 'revoked', providerName: link.provider_name };
  }
  if (link.expires_at <= nowIso()) return { state: 'expired', providerName: link.provider_name };
  return { state: 'ok' };
}

const clientActor = (client: ClientRow): Omit<AuditEntry, 'action'> => ({
  actorType: 'client',
  actorId: client.id,
  providerId: client.provider_id,
  entityType: 'client',
  entityId: client.id,
});

/**
 * The first visit: a live link's token is traded for a new page session (its secret returned once,
 * for the cookie; only its hash stored) and the use recorded — two round trips.
 */
export async function tradeLink(
  data: Data,
  token: string,
): Promise<LinkProblem | { state: 'ok'; sessionToken: string; sessionExpiresAt: Date }> {
  if (!TOKEN_SHAPE.test(token)) return { state: 'unknown' };
  const linkHash = await sha256Hex(token);
  const [link, client] = await data.read([links.byHash(linkHash), links.clientOf(linkHash)]);
  const state = linkState(link, client);
  if (state.state !== 'ok') return state;
  const sessionToken = randomToken();
  const t = now();
  const sessionExpiresAt = new Date(t.getTime() + SESSION_LIFETIME_MS);
  await data.write([
    ...sessions.openSession({
      sessionHash: await sha256Hex(sessionToken),
      linkHash,
      createdAt: t.toISOString(),
      expiresAt: sessionExpiresAt.toISOString(),
    }),
    audit({ ...clientActor(client!), action: 'client_link.opened' }),
  ]);
  return { state: 'ok', sessionToken, sessionExpiresAt };
}

/**
 * The page session a request's cookie names, with `more` reads in the same round trip. `ended`: no
 * session, an unknown one, or one past its 30 minutes; a revoked or expired link ends its sessions.
 */
export async function openPage<const R extends readonly Read<unknown>[]>(
  data: Data,
  sessionToken: string | undefined,
  more: R,
): Promise<LinkProblem | { state: 'ended' } | { state: 'ok'; session: PageSession; more: ReadResults<R> }> {
  if (sessionToken === undefined || !TOKEN_SHAPE.test(sessionToken)) return { state: 'ended' };
  const sessionHash = await sha256Hex(sessionToken);
  const [row, client, ...rest] = await data.read([
    sessions.bySession(sessionHash),
    sessions.clientOfSession(sessionHash),
    ...more,
  ]);
  if (!row || row.session_expires_at <= nowIso()) return { state: 'ended' };
  const state = linkState(row, client);
  if (state.state === 'unknown') return { state: 'ended' };
  if (state.state !== 'ok') return state;
  return {
    state: 'ok',
    session: { sessionHash, client: client!, providerName: row.provider_name, linkExpiresAt: row.expires_at },
    more: rest as unknown as ReadResults<R>,
  };
}

/** The page's reads besides the session: the carriers to choose from (and to check a choice against). */
export const formReads = () => [payers.names()] as const;

/** Records that the client's page showed their details (what it shows, API.md "Client self-service pages"). */
export const recordPageRead = (data: Data, session: PageSession) =>
  data.write([audit({ ...clientActor(session.client), action: 'client_billing.read' })]);

/**
 * Saves what the client entered (on-file values already merged in); the client is `active` from
 * then on. `false`: the session ended or its link was revoked since the page read it; nothing saved.
 */
export async function saveFromPage(
  data: Data,
  session: PageSession,
  billing: v.InferOutput<typeof BillingInfoSchema>,
): Promise<boolean> {
  const at = nowIso();
  try {
    await data.write([
      sessions.stillOpen(session.sessionHash, at),
      clients.update(session.client.provider_id, session.client.id, {
        ...clients.fieldsToRow(billingToFields(billing)),
        status: 'active',
        updated_at: at,
      }),
      audit({ ...clientActor(session.client), action: 'client_billing.saved' }),
    ]);
  } catch (err) {
    if (isGuardFailure(err)) return false;
    throw err;
  }
  return true;
}
