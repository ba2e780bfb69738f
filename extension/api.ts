// The one client of the Caseload HTTP API (shared/API.md); only the background uses it.
import type {
  ApiErrorBody,
  Appointment,
  Claim,
  Client,
  Icd10Match,
  Page,
  Provider,
  TokenResponse,
  UnconfirmedCount,
} from '../shared/api-types';

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
  body?: unknown;
  auth?: boolean;
  idempotencyKey?: string;
}

export const SIGNED_OUT_MESSAGE = 'Your sign-in has ended. Sign in again; what you typed is kept.';

export type AppointmentCreated = Appointment | { items: Appointment[] };

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const retryDelayMs = options.retryDelayMs ?? 400;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function once(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const base = await options.baseUrl();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    if (opts.auth !== false) {
      const token = await options.token();
      if (!token) throw new ApiError({ kind: 'signed_out', message: 'Sign in to Caseload first.' });
      headers.authorization = `Bearer ${token}`;
    }
    try {
      return await doFetch(`${base}${path}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
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
  }

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    // A creating POST is re-sent with the same key when the network dropped it or the first
    // attempt is still running: the API answers a repeated key with the first result, never a second row.
    const attempts = opts.idempotencyKey ? 3 : 1;
    let res: Response | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await once(method, path, opts);
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
    return read<T>(res, opts.auth !== false);
  }

  async function read<T>(res: Response, authed: boolean): Promise<T> {
    if (res.ok) {
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      return (text ? JSON.parse(text) : {}) as T;
    }
    const body = await readError(res);
    if (res.status === 401 && authed) {
      await options.onUnauthorized();
      throw new ApiError({ kind: 'signed_out', message: SIGNED_OUT_MESSAGE });
    }
    throw new ApiError({ kind: 'api', status: res.status, ...body });
  }

  const get = <T>(path: string) => request<T>('GET', path);
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  return {
    requestCode: (email: string) => request<object>('POST', '/v1/auth/code', { body: { email }, auth: false }),
    exchangeCode: (email: string, code: string) =>
      request<TokenResponse>('POST', '/v1/auth/token', { body: { email, code }, auth: false }),
    logout: () => request<void>('POST', '/v1/auth/logout'),
    me: () => get<Provider>('/v1/me'),
    searchClients: (query: string, limit = 10) =>
      get<Page<Client>>(`/v1/clients?${q({ q: query, limit: String(limit) })}`),
    listClients: () => get<Page<Client>>('/v1/clients?limit=200'),
    createClient: (input: unknown, idempotencyKey: string) =>
      request<Client>('POST', '/v1/clients', { body: input, idempotencyKey }),
    /** `billing_info` sends the "please complete your billing info" email instead of the welcome. */
    notifyClient: (id: string, idempotencyKey: string, reason: 'welcome' | 'billing_info' = 'welcome') =>
      request<object>('POST', `/v1/clients/${encodeURIComponent(id)}/notify`, { body: { reason }, idempotencyKey }),
    createAppointment: (input: unknown, idempotencyKey: string) =>
      request<AppointmentCreated>('POST', '/v1/appointments', { body: input, idempotencyKey }),
    getAppointment: (id: string) => get<Appointment>(`/v1/appointments/${encodeURIComponent(id)}`),
    listUnconfirmed: (now: Date) =>
      get<Page<Appointment>>(`/v1/appointments?${q({ status: 'scheduled', to: now.toISOString(), limit: '200' })}`),
    unconfirmedCount: () => get<UnconfirmedCount>('/v1/appointments/unconfirmed/count'),
    confirm: (id: string, input: unknown, idempotencyKey: string) =>
      request<{ appointment: Appointment; claim: Claim }>(
        'POST',
        `/v1/appointments/${encodeURIComponent(id)}/confirm`,
        {
          body: input,
          idempotencyKey,
        },
      ),
    searchIcd10: (query: string) => get<{ items: Icd10Match[] }>(`/v1/codes/icd10?${q({ q: query })}`),
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

function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
