// What the background does for each message of the typed map, and the one gate messages pass.
import * as v from 'valibot';
import { browser } from 'wxt/browser';
import type { Appointment } from '../../shared/api-types';
import { CPT_RULES, checkCpt, crisisAddOn, suggestCpt } from '../../shared/billing/cpt';
import { BILLING_FIELD_LABELS } from '../../shared/schemas/billing';
import { MAX_CLAIMS_PER_EXPORT } from '../../shared/billing/export';
import { FEE_CODES } from '../../shared/schemas/billing-profile';
import { toFieldIssues, type FieldIssue } from '../../shared/schemas/common';
import { ApiError, type ApiClient, type ApiFailure, type ClaimOut } from '../api';
import {
  EnvelopeSchema,
  INPUT_PREFIX,
  MESSAGE_SCHEMAS,
  type BadgeState,
  type MessageName,
  type MessageResults,
  type ParsedPayload,
  type Reply,
} from '../messages';
import { apiBaseItem, clearAuth, getApiBase, getAuth, normalizeApiBase, setAuth } from '../storage';

export interface HandlerDeps {
  api: ApiClient;
  refreshBadge: () => Promise<BadgeState>;
  now?: () => Date;
}

export type Handlers = { [K in MessageName]: (payload: ParsedPayload<K>) => Promise<MessageResults[K]> };

export function createHandlers(deps: HandlerDeps): Handlers {
  const { api } = deps;
  const now = () => deps.now?.() ?? new Date();
  // A change made from the popup shows on the badge at once; a failed refresh never fails the change.
  const refresh = () => deps.refreshBadge().catch(() => undefined);

  return {
    'auth.status': async () => {
      const auth = await getAuth();
      if (auth && Date.parse(auth.expiresAt) <= now().getTime()) {
        await clearAuth();
        void refresh();
        return { provider: null, apiBase: await getApiBase() };
      }
      return { provider: auth?.provider ?? null, apiBase: await getApiBase() };
    },
    'auth.requestCode': async ({ email }) => {
      await api.requestCode(email.trim());
      return { sent: true };
    },
    'auth.signIn': async ({ email, code, keepSignedIn }) => {
      const { token, expiresAt, provider } = await api.exchangeCode(email.trim(), code.trim());
      const summary = { id: provider.id, name: provider.name, email: provider.email, timeZone: provider.timeZone };
      await setAuth({ token, expiresAt, provider: summary }, keepSignedIn);
      await refresh();
      return summary;
    },
    'auth.signOut': async () => {
      try {
        await api.logout();
      } catch {
        // Offline or already expired: the token is forgotten here either way.
      }
      await clearAuth();
      await refresh();
      return { signedOut: true };
    },
    'auth.signOutEverywhere': async () => {
      // Unlike signing out here, this must reach the API: if it fails the other sign-ins still
      // work, so the failure is reported and this one stays signed in to try again.
      await api.logoutAll();
      await clearAuth();
      await refresh();
      return { signedOut: true };
    },
    'account.activity': async () => (await api.activity(20)).items,
    'clients.search': async ({ q }) => (await api.searchClients(q.trim())).items,
    'clients.create': async ({ input, idempotencyKey }) => api.createClient(input, idempotencyKey),
    'clients.notify': async ({ clientId, reason, idempotencyKey }) => {
      await api.notifyClient(clientId, idempotencyKey, reason);
      return { sent: true };
    },
    'appointments.create': async ({ input, idempotencyKey }) => {
      try {
        const created = await api.createAppointment(input, idempotencyKey);
        await refresh(); // a session recorded in the past is one more to confirm
        return 'items' in created ? created.items : [created];
      } catch (err) {
        throw await withConflictSessions(err, api);
      }
    },
    'appointments.unconfirmed': async () => {
      const at = now();
      const { items } = await api.listUnconfirmed(at);
      // `to` bounds the start; a session still running is not ready to confirm yet.
      return items
        .filter((a) => Date.parse(a.endsAt) <= at.getTime())
        .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    },
    'appointments.confirm': async ({ id, input, idempotencyKey }) => {
      // The API's own code rules, checked here first so a mismatch is a field error, not a round trip.
      if (input.startedAt && input.endedAt) {
        const minutes = (Date.parse(input.endedAt) - Date.parse(input.startedAt)) / 60_000;
        const problems = checkCpt({ cptCode: input.cptCode, addOnCodes: input.addOnCodes, minutes });
        if (problems.length > 0) throw invalidFields(problems.map((p) => ({ path: 'cptCode', message: p.message })));
      }
      try {
        const result = await api.confirm(id, input, idempotencyKey);
        await refresh();
        return result;
      } catch (err) {
        throw withMissingLabels(err);
      }
    },
    'appointments.day': async ({ date }) => api.day(date),
    'appointments.move': async ({ id, input }) => {
      try {
        const moved = await api.moveAppointment(id, input);
        await refresh(); // a session moved into the past is one more to confirm
        return moved;
      } catch (err) {
        throw await withConflictSessions(err, api);
      }
    },
    'appointments.cancel': async ({ id, reason }) => {
      const canceled = await api.cancelAppointment(id, reason);
      await refresh();
      return canceled;
    },
    'noteDraft.get': async ({ id }) => {
      try {
        return await api.getNoteDraft(id);
      } catch (err) {
        // 404: no draft (or no such session of this provider) — nothing to restore.
        if (err instanceof ApiError && err.failure.kind === 'api' && err.failure.status === 404) return null;
        throw err;
      }
    },
    'noteDraft.save': async ({ id, text }) => {
      await api.saveNoteDraft(id, text);
      return { saved: true };
    },
    'noteDraft.delete': async ({ id }) => {
      await api.deleteNoteDraft(id);
      return { deleted: true };
    },
    'codes.icd10': async ({ q }) => {
      const query = q.trim();
      if (query.length < 2) return [];
      return (await api.searchIcd10(query)).items;
    },
    'codes.cpt': async () =>
      CPT_RULES.filter((r) => r.kind === 'primary' && !r.prescriberOnly).map((r) => ({
        code: r.code,
        description: r.description,
      })),
    'cpt.advise': async ({ minutes, cptCode, addOnCodes, crisisAddOn: wanted }) => {
      const crisis = crisisAddOn(cptCode, minutes);
      const codes = crisis && wanted ? [...addOnCodes, crisis.code] : addOnCodes;
      return {
        suggested: suggestCpt(minutes),
        problems: cptCode && minutes > 0 ? checkCpt({ cptCode, addOnCodes: codes, minutes }).map((p) => p.message) : [],
        crisisAddOn: crisis,
      };
    },
    'badge.refresh': async () => deps.refreshBadge(),
    'calendarFeed.status': async () => ({ calendarFeed: (await api.me()).calendarFeed }),
    'calendarFeed.create': async () => api.createCalendarFeed(),
    'calendarFeed.turnOff': async () => {
      await api.deleteCalendarFeed();
      return { calendarFeed: null };
    },
    'billing.profile': async () => {
      const [profile, me] = await Promise.all([api.billingProfile(), api.me()]);
      return { profile, npi: me.npi };
    },
    'billing.saveProfile': async ({ input }) => api.putBillingProfile(input),
    'billing.fees': async () => ({
      items: (await api.fees()).items,
      codes: FEE_CODES.map((code) => ({
        code,
        description: CPT_RULES.find((r) => r.code === code)?.description ?? code,
      })),
    }),
    'billing.saveFees': async ({ input }) => api.putFees(input),
    'claims.list': async () => {
      const [ready, recent, exports] = await Promise.all([
        readyClaims(api),
        api.listClaims({ limit: CLAIMS_PAGE }),
        api.listExports(),
      ]);
      return { ...ready, claims: recent.items, nextCursor: recent.nextCursor, exports: exports.items };
    },
    'claims.more': async ({ cursor }) => {
      const older = await api.listClaims({ cursor, limit: CLAIMS_PAGE });
      return { claims: older.items, nextCursor: older.nextCursor };
    },
    'claims.export': async ({ idempotencyKey }) => {
      const made = await api.createExport(idempotencyKey);
      return { export: made, file: await api.exportFile(made.id) };
    },
    'claims.exportFile': async ({ id }) => api.exportFile(id),
    'claims.get': async ({ id }) => api.getClaim(id),
    'claims.status': async ({ id, input }) => api.claimStatus(id, input),
    'claims.replace': async ({ id, input }) => api.replaceClaim(id, input),
    'claims.void': async ({ id }) => api.voidClaim(id),
    'settings.setApiBase': async ({ apiBase }) => {
      const origin = normalizeApiBase(apiBase);
      if (!origin)
        throw invalidFields([
          {
            path: 'apiBase',
            message: 'Enter the full address of the Caseload server, e.g. https://caseload.example.com',
          },
        ]);
      const changed = origin !== (await getApiBase());
      if (changed) await clearAuth(); // a token belongs to the server that issued it
      await apiBaseItem.setValue(origin);
      return { apiBase: origin, changed };
    },
  };
}

function invalidFields(issues: FieldIssue[]): ApiError {
  return new ApiError({
    kind: 'api',
    status: 400,
    code: 'validation_failed',
    message: 'Check the highlighted fields.',
    issues,
  });
}

function withMissingLabels(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.failure.kind !== 'api' || err.failure.code !== 'billing_incomplete') return err;
  const missingLabels = (err.failure.missing ?? []).map((path) => BILLING_FIELD_LABELS[path] ?? path);
  return new ApiError({ ...err.failure, missingLabels });
}

/** A conflict names ids; the popup needs to say which session is in the way. */
async function withConflictSessions(err: unknown, api: ApiClient): Promise<unknown> {
  if (!(err instanceof ApiError) || err.failure.kind !== 'api' || err.failure.code !== 'schedule_conflict') return err;
  const ids = (err.failure.conflicts ?? []).slice(0, 3);
  const found = await Promise.all(ids.map((id) => api.getAppointment(id).catch(() => null)));
  const conflictSessions = found.filter((a): a is Appointment => a !== null);
  return new ApiError({ ...err.failure, conflictSessions });
}

/** Claims of every status per page of the Claims page. */
const CLAIMS_PAGE = 100;

/** Every ready claim (what "Download 837P" sends), newest first, up to what one export holds. */
async function readyClaims(api: ApiClient): Promise<{ ready: ClaimOut[]; moreReady: boolean }> {
  const found: ClaimOut[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listClaims({ status: 'ready', limit: 200, cursor });
    found.push(...page.items.filter((c) => c.status === 'ready'));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && found.length < MAX_CLAIMS_PER_EXPORT);
  return { ready: found.slice(0, MAX_CLAIMS_PER_EXPORT), moreReady: found.length > MAX_CLAIMS_PER_EXPORT || !!cursor };
}

/**
 * The onMessage gate: anything not from the extension's own pages gets no answer at all; a
 * malformed payload gets a failure; every answer is a Reply, never a thrown error.
 */
export async function handleMessage(
  message: unknown,
  sender: { id?: string; url?: string } | undefined,
  handlers: Handlers,
): Promise<Reply<MessageName> | undefined> {
  if (!isInternalSender(sender)) return undefined;
  const envelope = v.safeParse(EnvelopeSchema, message);
  if (!envelope.success) return undefined;
  const type = envelope.output.type;
  const payload = v.safeParse(MESSAGE_SCHEMAS[type], envelope.output.payload ?? {}, { abortPipeEarly: true });
  if (!payload.success) {
    // Nothing was sent to the API: these are the shared schemas' messages for the form's fields.
    const issues = toFieldIssues(payload.issues).map((i) => ({
      ...i,
      path: i.path.startsWith(INPUT_PREFIX) ? i.path.slice(INPUT_PREFIX.length) : i.path,
    }));
    return { ok: false, error: invalidFields(issues).failure };
  }
  try {
    const handler = handlers[type] as (p: unknown) => Promise<unknown>;
    const data = await handler(payload.output);
    return { ok: true, data } as Reply<MessageName>;
  } catch (err) {
    return { ok: false, error: toFailure(err) };
  }
}

function toFailure(err: unknown): ApiFailure {
  if (err instanceof ApiError) return err.failure;
  console.error('Caseload background error', err);
  return {
    kind: 'api',
    status: 500,
    code: 'internal_error',
    message: 'Something went wrong inside Caseload. Try again; nothing you typed was lost.',
  };
}

/** Only the extension's own pages (popup, options, the fallback scheduler window) may ask. */
export function isInternalSender(sender: { id?: string; url?: string } | undefined): boolean {
  if (!sender || sender.id !== browser.runtime.id) return false;
  return typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL('/'));
}
