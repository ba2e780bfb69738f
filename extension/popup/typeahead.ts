// Search-as-you-type: debounced, and a reply to an older keystroke never overwrites a newer one.
import { signal } from '@preact/signals';
import type { ApiFailure } from '../api';

export function createTypeahead<T>(opts: {
  /** Queries shorter than this (trimmed) clear the list without asking. */
  minLength: number;
  debounceMs: number;
  search: (q: string) => Promise<{ ok: true; data: T[] } | { ok: false; error: ApiFailure }>;
  onFailure: (failure: ApiFailure) => void;
}) {
  const results = signal<T[]>([]);
  const searching = signal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  /** Stops any pending search and empties the list. */
  function reset(): void {
    clearTimeout(timer);
    seq++;
    searching.value = false;
    results.value = [];
  }

  function query(text: string): void {
    const q = text.trim();
    if (q.length < Math.max(1, opts.minLength)) {
      reset();
      return;
    }
    clearTimeout(timer);
    const mine = ++seq;
    searching.value = true;
    timer = setTimeout(async () => {
      const reply = await opts.search(q);
      if (mine !== seq) return; // a later keystroke owns the list
      searching.value = false;
      if (reply.ok) results.value = reply.data;
      else opts.onFailure(reply.error);
    }, opts.debounceMs);
  }

  return { results, searching, query, reset };
}
