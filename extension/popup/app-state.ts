// The popup's state: signals built by createAppState() and handed to components by context,
// so each test builds its own. Sign-in and Add client are here from the start; the Schedule and
// Confirm models come with their views' chunks (lazy-views.ts), and their drafts wait here until then.
import { batch, computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiFailure } from '../api';
import type { Reply, Send } from '../messages';
import type { Prefill, ProviderSummary } from '../storage';
import { createAddClientModel, type AddClientFields } from './add-client-model';
import { createAuthModel } from './auth-model';
import type { ConfirmFields, ConfirmModel } from './confirm-model';
import { loadView, prefetchView, viewParts, type LazyView, type LazyViews } from './lazy-views';
import type { ModelContext } from './model-context';
import type { ScheduleFields, ScheduleModel } from './schedule-model';
import type { TodayModel } from './today-model';
import { newIdempotencyKey } from './submission';

// Today is one keystroke away (Alt+T, or its tab) rather than the first view: Add client stays first
// because it shows at once with no request behind it, within the first chunk's 20 KB, while Today
// needs the API before it shows anything. And the popup reopens on the view used last, so a
// provider who works from Today finds it first every time after that, its day asked for at open.
export type View = 'add' | 'schedule' | 'confirm' | 'today';
export type AuthState =
  | { status: 'loading' }
  | { status: 'signed_out'; reason: string | null }
  | { status: 'signed_in'; provider: ProviderSummary };

export interface Drafts {
  view?: View;
  add?: AddClientFields;
  schedule?: ScheduleFields;
  confirm?: Record<string, Partial<ConfirmFields>>;
}

/** The popup's window onto the pending prefill and the drafts (storage.session in the real popup). */
export interface PopupStore {
  takePrefill(): Promise<Prefill | null>;
  watchPrefill(cb: () => void): () => void;
  loadDrafts(): Promise<Drafts | null>;
  saveDrafts(drafts: Drafts): void;
  /**
   * The view used last, read at once (no round trip), so its data and chunk are asked for before the
   * drafts arrive; the drafts' view wins when they have one.
   */
  lastView?(): View | null;
}

export interface AppDeps {
  send: Send;
  store?: PopupStore;
  now?: () => Date;
  newKey?: () => string;
  openOptions?: () => void;
}

const VIEWS: readonly View[] = ['add', 'schedule', 'confirm', 'today'];
const asView = (v: unknown): View | null => (VIEWS.includes(v as View) ? (v as View) : null);

/** A prefill older than this is from an earlier click whose popup never read it. */
const PREFILL_MAX_AGE_MS = 2 * 60_000;

/** The chunk most likely wanted next from each view, fetched once the popup is idle. */
const NEXT: Record<View, LazyView> = {
  add: 'schedule',
  schedule: 'confirm',
  confirm: 'confirmForm',
  today: 'schedule',
};

const LOAD_FAILED = 'Caseload could not open that view. Close and reopen the popup; nothing you typed was lost.';

export function createAppState(deps: AppDeps) {
  const now = deps.now ?? (() => new Date());
  const auth = signal<AuthState>({ status: 'loading' });
  const apiBase = signal('');
  const view = signal<View>('add');
  /** A view asked for whose chunk is still on its way; the current view stays on screen until it arrives. */
  const pending = signal<View | null>(null);
  const notice = signal('');
  const timeZone = computed(() =>
    auth.value.status === 'signed_in' ? auth.value.provider.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const schedule = signal<ScheduleModel | null>(null);
  const confirm = signal<ConfirmModel | null>(null);
  const today = signal<TodayModel | null>(null);
  /** The drafts read when the popup opened, for the models not made yet. */
  let saved: Drafts = {};
  /** Set once a view has been asked for, so the remembered one no longer replaces it. */
  let moved = false;

  const announce = (message: string) => {
    notice.value = message;
  };
  function onFailure(f: ApiFailure): void {
    if (f.kind === 'signed_out') auth.value = { status: 'signed_out', reason: f.message };
  }

  const ctx: ModelContext = {
    send: deps.send,
    now,
    newKey: deps.newKey ?? newIdempotencyKey,
    timeZone,
    announce,
    onFailure,
  };
  const addClient = createAddClientModel(ctx);
  const signIn = createAuthModel(ctx, (provider) => {
    auth.value = { status: 'signed_in', provider };
    announce(`Signed in as ${provider.name}.`);
    void afterSignIn();
  });

  function makeSchedule(parts: LazyViews['schedule']): ScheduleModel {
    let m = schedule.peek();
    if (!m) {
      m = parts.createScheduleModel(ctx);
      if (saved.schedule) m.fields.value = saved.schedule;
      schedule.value = m;
    }
    return m;
  }

  function makeConfirm(parts: LazyViews['confirm']): ConfirmModel {
    let m = confirm.peek();
    if (!m) {
      m = parts.createConfirmModel(ctx);
      if (saved.confirm) m.restore(saved.confirm);
      confirm.value = m;
    }
    return m;
  }

  function makeToday(parts: LazyViews['today']): TodayModel {
    let m = today.peek();
    if (!m) {
      m = parts.createTodayModel(ctx);
      today.value = m;
    }
    return m;
  }

  /** Makes the view's model if its chunk has run; false while the chunk is still to come. */
  function readyNow(v: View): boolean {
    if (v === 'add') return true;
    const parts = viewParts(v);
    if (!parts) return false;
    if (v === 'schedule') makeSchedule(parts as LazyViews['schedule']);
    else if (v === 'today') makeToday(parts as LazyViews['today']);
    else makeConfirm(parts as LazyViews['confirm']);
    return true;
  }

  async function prepare(v: View): Promise<void> {
    if (v === 'schedule') makeSchedule(await loadView('schedule'));
    else if (v === 'confirm') makeConfirm(await loadView('confirm'));
    else if (v === 'today') makeToday(await loadView('today'));
  }

  function display(next: View): void {
    batch(() => {
      view.value = next;
      pending.value = null;
    });
    const m = confirm.peek();
    if (next === 'confirm' && m && auth.peek().status === 'signed_in' && !m.loading.peek()) void m.load();
    const t = today.peek();
    // Today is read afresh each time it is shown (another tab may have changed the day); kept on its day.
    if (next === 'today' && t && auth.peek().status === 'signed_in' && !t.loading.peek())
      void t.load(t.day.peek()?.date);
    prefetchView(NEXT[next]);
  }

  /** Opens a view: at once when its chunk is here, else when it arrives, the current view staying until then. */
  async function show(next: View): Promise<void> {
    moved = true;
    notice.value = '';
    if (readyNow(next)) return display(next);
    pending.value = next;
    try {
      await prepare(next);
    } catch {
      if (pending.peek() === next) pending.value = null;
      announce(LOAD_FAILED);
      return;
    }
    // A later click owns the panel.
    if (pending.peek() === next) display(next);
  }

  async function takePrefill(): Promise<boolean> {
    const prefill = await deps.store?.takePrefill();
    if (!prefill || now().getTime() - Date.parse(prefill.createdAt) > PREFILL_MAX_AGE_MS) return false;
    let m: ScheduleModel;
    try {
      m = makeSchedule(await loadView('schedule'));
    } catch {
      announce(LOAD_FAILED);
      return false;
    }
    moved = true;
    batch(() => {
      m.applyPrefill(prefill);
      display('schedule');
    });
    return true;
  }

  /** `list`: the Confirm list already asked for while the popup opened. */
  async function afterSignIn(
    list?: Promise<Reply<'appointments.unconfirmed'>>,
    todayDay?: Promise<Reply<'appointments.day'>>,
  ): Promise<void> {
    // The list is asked for while the prefill is read: a prefill (rare) opens Schedule over it anyway.
    if (view.peek() === 'confirm') void confirm.peek()?.load(list);
    if (view.peek() === 'today') void today.peek()?.load(undefined, todayDay);
    if (!(await takePrefill())) prefetchView(NEXT[view.peek()]);
  }

  /**
   * What opening on `v` needs, asked for at once: its chunk and, on Confirm and Today, its data — used
   * only if the background's auth answer is "signed in" (signed out, it refuses them without a request).
   */
  function opening(v: View) {
    return {
      view: v,
      list: v === 'confirm' ? deps.send('appointments.unconfirmed', {}) : undefined,
      todayDay: v === 'today' ? deps.send('appointments.day', {}) : undefined,
      ready: prepare(v),
    };
  }

  let started = false;
  /** Reads auth, drafts and any pending prefill; call once when the popup opens. */
  async function start(): Promise<void> {
    if (started) return;
    started = true;
    // All at once: auth from the background, the drafts from session storage, and what the view used
    // last needs (the drafts' read is a round trip; the last view is known without one).
    const asked = deps.send('auth.status', {});
    const hint = asView(deps.store?.lastView?.());
    let early = hint && hint !== 'add' ? opening(hint) : null;
    const drafts = await deps.store?.loadDrafts().catch(() => null);
    saved = drafts ?? {};
    // The note is never kept in storage (it is a draft on the server): an older version's is dropped.
    if (saved.confirm)
      saved.confirm = Object.fromEntries(Object.entries(saved.confirm).map(([id, { note: _note, ...f }]) => [id, f]));
    if (drafts?.add) addClient.fields.value = drafts.add;
    // The drafts' view (this browser session's) wins; after a restart the last view used still opens.
    const first: View = asView(drafts?.view) ?? hint ?? 'add';
    if (early?.view !== first) early = first === 'add' ? null : opening(first);
    const list = early?.list;
    const todayDay = early?.todayDay;
    // The remembered view's chunk comes while the background answers.
    const firstReady = (early?.ready ?? Promise.resolve()).then(
      () => {
        if (!moved) view.value = first;
      },
      () => undefined,
    );
    const status = await asked;
    let state: AuthState;
    if (status.ok) {
      apiBase.value = status.data.apiBase;
      state = status.data.provider
        ? { status: 'signed_in', provider: status.data.provider }
        : { status: 'signed_out', reason: null };
    } else {
      state = { status: 'signed_out', reason: status.error.message };
    }
    // Signed in, the tabs first appear on the remembered view, not on Add client for a frame.
    if (state.status === 'signed_in') await firstReady;
    auth.value = state;
    // The menu may write the prefill just after the popup opened (Firefox opens it first).
    deps.store?.watchPrefill(() => {
      if (auth.value.status === 'signed_in') void takePrefill();
    });
    if (auth.value.status === 'signed_in') await afterSignIn(list, todayDay);
    // Every keystroke is kept in session storage: the popup closes whenever it loses focus.
    if (deps.store) {
      const store = deps.store;
      effect(() => {
        const s = schedule.value;
        const c = confirm.value;
        store.saveDrafts({
          view: view.value,
          add: addClient.fields.value,
          schedule: s ? s.fields.value : saved.schedule,
          confirm: c ? c.drafts() : saved.confirm,
        });
      });
    }
  }

  async function signOut(): Promise<void> {
    await deps.send('auth.signOut', {});
    auth.value = { status: 'signed_out', reason: null };
    notice.value = 'Signed out.';
  }

  /** A duplicate email's client, opened in the scheduler. */
  async function openExistingClient(): Promise<void> {
    const client = await addClient.findExisting();
    if (!client) return;
    let m: ScheduleModel;
    try {
      m = makeSchedule(await loadView('schedule'));
    } catch {
      announce(LOAD_FAILED);
      return;
    }
    m.pickClient(client);
    await show('schedule');
    announce(`${client.firstName} ${client.lastName} is already on your roster; schedule a session with them here.`);
  }

  return {
    auth,
    apiBase,
    view: view as ReadonlySignal<View>,
    pending: pending as ReadonlySignal<View | null>,
    notice,
    timeZone,
    now,
    addClient,
    /** Made when Schedule is first needed (its chunk has run). */
    schedule: schedule as ReadonlySignal<ScheduleModel | null>,
    /** Made when Confirm is first needed (its chunk has run). */
    confirm: confirm as ReadonlySignal<ConfirmModel | null>,
    /** Made when Today is first needed (its chunk has run). */
    today: today as ReadonlySignal<TodayModel | null>,
    signIn,
    start,
    show,
    signOut,
    openExistingClient,
    openOptions: deps.openOptions ?? (() => undefined),
  };
}

export type AppState = ReturnType<typeof createAppState>;

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error('useApp() outside <AppContext.Provider>');
  return app;
}
