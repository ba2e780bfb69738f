// Every storage item of the extension, declared once with its fallback and version.
import { storage } from 'wxt/utils/storage';
import { DEFAULT_API_BASE, STORAGE_KEYS, normalizeApiBase, type Prefill, type StoredAuth } from './storage-keys';

export type { Prefill, ProviderSummary, StoredAuth } from './storage-keys';
export { DEFAULT_API_BASE, DEFAULT_API_ORIGINS, normalizeApiBase } from './storage-keys';

export const apiBaseItem = storage.defineItem<string>(STORAGE_KEYS.apiBase, {
  fallback: DEFAULT_API_BASE,
  version: 1,
});

// The token is in session storage (gone when the browser closes) unless the user chose
// "keep me signed in on this computer"; never both at once.
export const sessionAuthItem = storage.defineItem<StoredAuth | null>(STORAGE_KEYS.sessionAuth, {
  fallback: null,
  version: 1,
});
export const localAuthItem = storage.defineItem<StoredAuth | null>(STORAGE_KEYS.localAuth, {
  fallback: null,
  version: 1,
});

// Session storage: the service worker may be stopped between the menu click and the popup reading it.
export const pendingPrefillItem = storage.defineItem<Prefill | null>(STORAGE_KEYS.pendingPrefill, {
  fallback: null,
  version: 1,
});

export async function getAuth(): Promise<StoredAuth | null> {
  // Both areas at once: each read is a round trip to the browser process, and every API call waits for this.
  const [session, local] = await Promise.all([sessionAuthItem.getValue(), localAuthItem.getValue()]);
  return session ?? local;
}

export async function setAuth(auth: StoredAuth, keepSignedIn: boolean): Promise<void> {
  if (keepSignedIn) {
    await localAuthItem.setValue(auth);
    await sessionAuthItem.removeValue();
  } else {
    await sessionAuthItem.setValue(auth);
    await localAuthItem.removeValue();
  }
}

export async function clearAuth(): Promise<void> {
  await Promise.all([sessionAuthItem.removeValue(), localAuthItem.removeValue()]);
}

export async function getApiBase(): Promise<string> {
  return normalizeApiBase(await apiBaseItem.getValue()) ?? DEFAULT_API_BASE;
}
