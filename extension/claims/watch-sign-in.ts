// The Claims page follows the sign-in: signing out (here, in the popup, or everywhere from the settings)
// takes the patients' names off a page left open in a tab, and signing in or changing the server loads
// the page again. Read through the browser's own storage events, as the popup reads its keys.
import { ext } from '../popup/native';
import { STORAGE_KEYS } from '../storage-keys';

const WATCHED = [STORAGE_KEYS.sessionAuth, STORAGE_KEYS.localAuth, STORAGE_KEYS.apiBase].map(
  (k) => k.split(':') as [area: string, key: string],
);

/** Calls `onChange` whenever the sign-in or the API address changes; returns the unsubscribe. */
export function watchSignIn(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (WATCHED.some(([a, key]) => a === area && key in changes)) onChange();
  };
  ext().storage.onChanged.addListener(listener);
  return () => ext().storage.onChanged.removeListener(listener);
}
