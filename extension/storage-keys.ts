// The storage keys and stored shapes, without the storage library: the popup reads two of them
// through the browser's own storage API to stay small. Items are declared on them in storage.ts.

/** The local API in development; a release build sets WXT_API_BASE to the deployed Worker. */
export const DEFAULT_API_BASE: string = import.meta.env.WXT_API_BASE || 'http://127.0.0.1:8787';
/** Origins granted by the manifest; any other API address needs an optional host permission. */
export const DEFAULT_API_ORIGINS = ['http://127.0.0.1:8787', 'http://localhost:8787'];

export const STORAGE_KEYS = {
  apiBase: 'local:apiBase',
  sessionAuth: 'session:auth',
  localAuth: 'local:auth',
  pendingPrefill: 'session:pendingPrefill',
  drafts: 'session:drafts',
} as const;

export interface ProviderSummary {
  id: string;
  name: string;
  email: string;
  timeZone: string;
}

export interface StoredAuth {
  token: string;
  expiresAt: string;
  provider: ProviderSummary;
}

/** What the "Schedule session" menu hands to the scheduler. */
export interface Prefill {
  selection: string;
  /** The parsed start as a UTC instant; null when no date was found. */
  startsAt: string | null;
  /** True when only a date (no time of day) was found. */
  dateOnly: boolean;
  client: { id: string; firstName: string; lastName: string } | null;
  createdAt: string;
}

/** `https://host[:port]` without a trailing slash or path, or null when not an http(s) URL. */
export function normalizeApiBase(input: string): string | null {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}
