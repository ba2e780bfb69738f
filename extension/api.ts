// The one client of the Caseload HTTP API (docs/API.md); only the background uses it. Paths, inputs
// and answers are typed from the Worker's own route chain: `hc<V1>` (hono/client) over the type of
// worker/routes/v1.ts — a type-only import, erased from the bundle — so a route the Worker does not
// have, a wrong body or a misread answer is a type error here. `npm run typecheck` emits the Worker's
// declarations to .types/ first (tsconfig.api-types.json) for this import.
import { type ClientRequestOptions, type ClientResponse, hc, type InferRequestType } from 'hono/client';
import type { ApiErrorBody, Appointment } from '../shared/api-types';
import type { V1 } from '../.types/worker/routes/v1';
import { hostOf } from './host';

export type ApiFailure =
  | { kind: 'unreachable'; message: string }
  | { kind: 'signed_out'; message: string }
  | {
      kind: 'api';
      status: number;
      code: string;
      message: string;
      issues?: { path: string; message: string }[];
      existingClientId?: string;
      conflicts?: string[];
      /** The sessions in `conflicts`, looked up so the popup can name them. */
      conflictSessions?: Appointment[];
      missing?: string[];
      /** `missing` in words (BILLING_FIELD_LABELS), added by the background. */
      missingLabels?: string[];
      settingsUrl?: string;
    };

export class ApiError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  baseUrl: () => Promise<string>;
  token: () => Promise<string | null>;
  /** Called when the API refuses the stored token (expired or revoked). */
  onUnauthorized: () => Promise<void>;
  fetch?: typeof fetch;
  /** Pause before re-sending a creating POST with the same Idempotency-Key. */
  retryDelayMs?: number;
  timeoutMs?: number;
}

interface RequestOptions {
  auth?: boolean;
  idempotencyKey?: string;
}

export const SIGNED_OUT_MESSAGE = 'Your sign-in has ended. Sign in again; what you typed is kept.';

type Rpc = ReturnType<typeof hc<V1>>;
/** What a route answers on success (its errors are thrown as ApiError). */
// biome-ignore lint/suspicious/noExplicitAny: any typed response of the client
type Body<R> = R extends ClientResponse<infer T, any, any> ? T : never;

export type ClientCreateInput = InferRequestType<Rpc['clients']['$post']>['json'];
export type AppointmentCreateInput = InferRequestType<Rpc['appointments']['$post']>['json'];
export type ConfirmInput = InferRequestType<Rpc['appointments'][':id']['confirm']['$post']>['json'];
export type AppointmentPatchInput = InferRequestType<Rpc['appointments'][':id']['$patch']>['json'];
export type CancelReason = InferRequestType<Rpc['appointments'][':id']['cancel']['$post']>['json']['reason'];
export type AppointmentCreated = Body<Awaited<ReturnType<Rpc['appointments']['$post']>>>;
export type BillingProfileInput = InferRequestType<Rpc['me']['billing-profile']['$put']>['json'];
export type BillingProfile = Body<Awaited<ReturnType<Rpc['me']['billing-profile']['$get']>>>;
export type FeesInput = InferRequestType<Rpc['me']['fees']['$put']>['json'];
export type ClaimStatusInput = InferRequestType<Rpc['claims'][':id']['status']['$post']>['json'];
export type ClaimReplacementInput = InferRequestType<Rpc['claims'][':id']['replacement']['$post']>['json'];
/** A claim as the API answers it (with the patient's name as of confirmation). */
export type ClaimOut = Body<Awaited<ReturnType<Rpc['claims'][':id']['$get']>>>;
export type ClaimStatus = ClaimOut['status'];
export type ClaimExportOut = Body<Awaited<ReturnType<Rpc['claims']['exports'][':id']['$get']>>>;

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const retryDelayMs = options.retryDelayMs ?? 400;
  const timeoutMs = options.timeoutMs ?? 15_000;

  /** One attempt: the typed call `send` makes on a client bound to the API address and this request's headers. */
  async function once<R extends ClientResponse<unknown>>(
    send: (rpc: Rpc, init: ClientRequestOptions) => Promise<R>,
    opts: RequestOptions,
  ): Promise<Response> {
    // The address and the token are read at once (each is a storage read in the background).
    const [base, token] = await Promise.all([options.baseUrl(), opts.auth === false ? null : options.token()]);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    if (opts.auth !== false) {
      if (!token) throw new ApiError({ kind: 'signed_out', message: 'Sign in to Caseload first.' });
      headers.authorization = `Bearer ${token}`;
    }
    const rpc = hc<V1>(`${base}/v1`, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const all = { ...Object.fromEntries(new Headers(init?.headers)), ...headers };
        try {
          return await doFetch(String(input), {
            method: init?.method,
            headers: all,
            body: init?.body,
            signal: AbortSignal.timeout(timeoutMs),
            credentials: 'omit',
            cache: 'no-store',
          });
        } catch {
          throw new ApiError({
            kind: 'unreachable',
            message: `Caseload can't reach its server at ${hostOf(base)}. Check your connection and try again; nothing you typed was lost.`,
          });
        }
      },
    });
    return (await send(rpc, {})) as unknown as Response;
  }

  async function request<R extends ClientResponse<unknown>>(
    send: (rpc: Rpc, init: ClientRequestOptions) => Promise<R>,
    opts: RequestOptions = {},
  ): Promise<Body<R>> {
    // A creating POST is re-sent with the same key when the network dropped it or the first
    // attempt is still running: the API answers a repeated key with the first result, never a second row.
    const attempts = opts.idempotencyKey ? 3 : 1;
    let res: Response | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await once(send, opts);
      } catch (err) {
        if (attempt < attempts && err instanceof ApiError && err.failure.kind === 'unreachable') {
          await delay(retryDelayMs * attempt);
          continue;
        }
        throw err;
      }
      if (attempt < attempts && res.status === 409 && (await peekCode(res)) === 'request_in_progress') {
        await delay(retryDelayMs * attempt);
        continue;
      }
      break;
    }
    return read(res, opts.auth !== false) as Promise<Body<R>>;
  }

  /** A file route: its text and the name its content-disposition gives (errors as in `request`). */
  async function file<R extends ClientResponse<unknown>>(
    send: (rpc: Rpc, init: ClientRequestOptions) => Promise<R>,
    fallbackName: string,
  ): Promise<{ text: string; filename: string }> {
    const res = await once(send, {});
    if (!res.ok) await read(res, true);
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
    return { text: await res.text(), filename };
  }

  async function read(res: Response, authed: boolean): Promise<unknown> {
    if (res.ok) {
      if (res.status === 204) return undefined;
      const text = await res.text();
      return text ? JSON.parse(text) : {};
    }
    const body = await readError(res);
    if (res.status === 401 && authed) {
      await options.onUnauthorized();
      throw new ApiError({ kind: 'signed_out', message: SIGNED_OUT_MESSAGE });
    }
    throw new ApiError({ kind: 'api', status: res.status, ...body });
  }

  const byId = (id: string) => ({ param: { id } });
  const publicRoute = { auth: false };

  return {
    requestCode: (email: string) => request((rpc) => rpc.auth.code.$post({ json: { email } }), publicRoute),
    exchangeCode: (email: string, code: string) =>
      request((rpc) => rpc.auth.token.$post({ json: { email, code } }), publicRoute),
    logout: () => request((rpc) => rpc.auth.logout.$post()),
    /** Revokes every token of the provider, this one included (a lost laptop). */
    logoutAll: () => request((rpc) => rpc.auth['logout-all'].$post()),
    /** The account's recent activity, newest first. */
    activity: (limit = 20) => request((rpc) => rpc.me.activity.$get({ query: { limit: String(limit) } })),
    me: () => request((rpc) => rpc.me.$get()),
    /** A new secret calendar feed address (the old one stops working); shown only in this answer. */
    createCalendarFeed: () => request((rpc) => rpc.me['calendar-feed'].$post()),
    deleteCalendarFeed: () => request((rpc) => rpc.me['calendar-feed'].$delete()),
    searchClients: (q: string, limit = 10) =>
      request((rpc) => rpc.clients.$get({ query: { q, limit: String(limit) } })),
    listClients: () => request((rpc) => rpc.clients.$get({ query: { limit: '200' } })),
    createClient: (input: ClientCreateInput, idempotencyKey: string) =>
      request((rpc) => rpc.clients.$post({ json: input }), { idempotencyKey }),
    /** `billing_info` sends the "please complete your billing info" email instead of the welcome. */
    notifyClient: (id: string, idempotencyKey: string, reason: 'welcome' | 'billing_info' = 'welcome') =>
      request((rpc) => rpc.clients[':id'].notify.$post({ ...byId(id), json: { reason } }), { idempotencyKey }),
    createAppointment: (input: AppointmentCreateInput, idempotencyKey: string) =>
      request((rpc) => rpc.appointments.$post({ json: input }), { idempotencyKey }),
    getAppointment: (id: string) => request((rpc) => rpc.appointments[':id'].$get(byId(id))),
    listUnconfirmed: (now: Date) =>
      request((rpc) => rpc.appointments.$get({ query: { status: 'scheduled', to: now.toISOString(), limit: '200' } })),
    /** One day in the provider's zone (default today there) and the next session after it. */
    day: (date?: string) => request((rpc) => rpc.appointments.day.$get({ query: date ? { date } : {} })),
    moveAppointment: (id: string, input: AppointmentPatchInput) =>
      request((rpc) => rpc.appointments[':id'].$patch({ ...byId(id), json: input })),
    cancelAppointment: (id: string, reason: CancelReason) =>
      request((rpc) => rpc.appointments[':id'].cancel.$post({ ...byId(id), json: { reason } })),
    unconfirmedCount: () => request((rpc) => rpc.appointments.unconfirmed.count.$get()),
    confirm: (id: string, input: ConfirmInput, idempotencyKey: string) =>
      request((rpc) => rpc.appointments[':id'].confirm.$post({ ...byId(id), json: input }), { idempotencyKey }),
    getNoteDraft: (id: string) => request((rpc) => rpc.appointments[':id']['note-draft'].$get(byId(id))),
    saveNoteDraft: (id: string, text: string) =>
      request((rpc) => rpc.appointments[':id']['note-draft'].$put({ ...byId(id), json: { text } })),
    deleteNoteDraft: (id: string) => request((rpc) => rpc.appointments[':id']['note-draft'].$delete(byId(id))),
    searchIcd10: (q: string) => request((rpc) => rpc.codes.icd10.$get({ query: { q } })),
    billingProfile: () => request((rpc) => rpc.me['billing-profile'].$get()),
    putBillingProfile: (input: BillingProfileInput) =>
      request((rpc) => rpc.me['billing-profile'].$put({ json: input })),
    fees: () => request((rpc) => rpc.me.fees.$get()),
    putFees: (input: FeesInput) => request((rpc) => rpc.me.fees.$put({ json: input })),
    /** A page of claims, newest first (of one status when given). */
    listClaims: (q: { status?: ClaimStatus; cursor?: string; limit?: number } = {}) =>
      request((rpc) =>
        rpc.claims.$get({
          query: {
            limit: String(q.limit ?? 100),
            ...(q.status ? { status: q.status } : {}),
            ...(q.cursor ? { cursor: q.cursor } : {}),
          },
        }),
      ),
    listExports: () => request((rpc) => rpc.claims.exports.$get({ query: { limit: '50' } })),
    /** Every `ready` claim into one 837P file. */
    createExport: (idempotencyKey: string) =>
      request((rpc) => rpc.claims.exports.$post({ json: {} }), { idempotencyKey }),
    exportFile: (id: string) => file((rpc) => rpc.claims.exports[':id'].file.$get(byId(id)), `caseload-837p-${id}.txt`),
    /** One claim with what the payer answered (its reports, oldest first). */
    getClaim: (id: string) => request((rpc) => rpc.claims[':id'].$get(byId(id))),
    claimStatus: (id: string, input: ClaimStatusInput) =>
      request((rpc) => rpc.claims[':id'].status.$post({ ...byId(id), json: input })),
    // Neither route keeps an Idempotency-Key, and neither is retried: a second replacement or void of the
    // same claim is refused (409 invalid_state), never a second claim.
    replaceClaim: (id: string, input: ClaimReplacementInput) =>
      request((rpc) => rpc.claims[':id'].replacement.$post({ ...byId(id), json: input })),
    voidClaim: (id: string) => request((rpc) => rpc.claims[':id'].void.$post(byId(id))),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

async function peekCode(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as Partial<ApiErrorBody>;
    return body.error?.code;
  } catch {
    return undefined;
  }
}

async function readError(res: Response): Promise<Omit<Extract<ApiFailure, { kind: 'api' }>, 'kind' | 'status'>> {
  let body: Partial<ApiErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') {
    const { code, message, issues, existingClientId, conflicts, missing, settingsUrl } = e;
    return { code, message, issues, existingClientId, conflicts, missing, settingsUrl };
  }
  return {
    code: res.status >= 500 ? 'internal_error' : 'unknown',
    message:
      res.status >= 500
        ? `The Caseload server had a problem (HTTP ${res.status}). Try again in a moment; nothing you typed was lost.`
        : `The Caseload server answered HTTP ${res.status}.`,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
