// The views after the first one are chunks of their own (Vite splits at each import() below): fetched
// when first shown, or prefetched once the popup is idle. Each chunk hands over what it holds with
// provideView as it runs, so a chunk already in memory opens in the same frame as its tab.
import { signal } from '@preact/signals';
import type { FunctionComponent } from 'preact';
import type { ConfirmModel, createConfirmModel } from './confirm-model';
import type { createScheduleModel, ScheduleModel } from './schedule-model';
import type { createTodayModel, TodayModel } from './today-model';

export interface LazyViews {
  schedule: { ScheduleView: FunctionComponent<{ m: ScheduleModel }>; createScheduleModel: typeof createScheduleModel };
  confirm: { ConfirmView: FunctionComponent<{ m: ConfirmModel }>; createConfirmModel: typeof createConfirmModel };
  confirmForm: { ConfirmForm: FunctionComponent<{ m: ConfirmModel }> };
  today: { TodayView: FunctionComponent<{ m: TodayModel }>; createTodayModel: typeof createTodayModel };
}
export type LazyView = keyof LazyViews;

const LOADERS: Record<LazyView, () => Promise<unknown>> = {
  schedule: () => import('./chunks/schedule'),
  confirm: () => import('./chunks/confirm'),
  confirmForm: () => import('./chunks/confirm-form'),
  today: () => import('./chunks/today'),
};

const loaded = signal<Partial<LazyViews>>({});
const loading = new Map<LazyView, Promise<unknown>>();

/** Called by each chunk when it runs. */
export function provideView<K extends LazyView>(name: K, parts: LazyViews[K]): void {
  if (!loaded.peek()[name]) loaded.value = { ...loaded.peek(), [name]: parts };
}

/** The chunk's parts when it has run, else undefined; a component reading it re-renders when it arrives. */
export function viewParts<K extends LazyView>(name: K): LazyViews[K] | undefined {
  return loaded.value[name];
}

/** The chunk's parts, fetching the chunk the first time. Rejects when it cannot be fetched (an update removed it). */
export async function loadView<K extends LazyView>(name: K): Promise<LazyViews[K]> {
  const ready = loaded.peek()[name];
  if (ready) return ready;
  let fetching = loading.get(name);
  if (!fetching) {
    fetching = LOADERS[name]();
    loading.set(name, fetching);
    // A failed fetch may be tried again by the next click.
    fetching.catch(() => loading.delete(name));
  }
  await fetching;
  const parts = loaded.peek()[name];
  if (!parts) throw new Error(`The ${name} chunk ran without providing its view`);
  return parts;
}

/** Fetches a chunk when the browser is idle, so that its tab opens at once when clicked. */
export function prefetchView(name: LazyView): void {
  if (loaded.peek()[name] || loading.has(name)) return;
  const idle = globalThis.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 1));
  idle(() => void loadView(name).catch(() => undefined), { timeout: 500 });
}
