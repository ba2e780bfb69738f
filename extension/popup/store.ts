// The real PopupStore: the pending prefill and the drafts, in storage.session; the view used last.
import { STORAGE_KEYS, type Prefill } from '../storage-keys';
import type { Drafts, PopupStore, View } from './app-state';
import { ext } from './native';

// WXT's "session:" prefix names the area; the key inside it is the rest.
const PREFILL = STORAGE_KEYS.pendingPrefill.slice('session:'.length);
const DRAFTS = STORAGE_KEYS.drafts.slice('session:'.length);
/**
 * The view used last, in the page's own localStorage (synchronous, so the popup asks for that view's
 * data as its script starts): a view's name only, nothing about a client.
 */
const LAST_VIEW = 'caseload:view';

export function createPopupStore(): PopupStore {
  const area = () => ext().storage.session;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    async takePrefill() {
      const prefill = ((await area().get(PREFILL)) as Record<string, Prefill | null | undefined>)[PREFILL] ?? null;
      if (prefill) await area().remove(PREFILL);
      return prefill;
    },
    watchPrefill(cb) {
      const listener = (changes: Record<string, { newValue?: unknown }>, areaName: string) => {
        if (areaName === 'session' && changes[PREFILL]?.newValue) cb();
      };
      ext().storage.onChanged.addListener(listener);
      return () => ext().storage.onChanged.removeListener(listener);
    },
    async loadDrafts() {
      return ((await area().get(DRAFTS)) as Record<string, Drafts | undefined>)[DRAFTS] ?? null;
    },
    lastView() {
      try {
        return localStorage.getItem(LAST_VIEW) as View | null;
      } catch {
        return null; // storage turned off for the extension: the drafts' view still opens
      }
    },
    saveDrafts(drafts) {
      try {
        localStorage.setItem(LAST_VIEW, drafts.view ?? 'add');
      } catch {
        // as above
      }
      clearTimeout(timer);
      timer = setTimeout(() => void area().set({ [DRAFTS]: drafts }), 150);
    },
  };
}
