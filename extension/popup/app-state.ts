// The popup's state: signals built by createAppState() and handed to components by context,
// so each test builds its own.
import { batch, computed, effect, signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiFailure } from '../api';
import type { Send } from '../messages';
import type { Prefill, ProviderSummary } from '../storage';
import { createAddClientModel, type AddClientFields } from './add-client-model';
import { createAuthModel } from './auth-model';
import { createConfirmModel, type ConfirmFields } from './confirm-model';
import type { ModelContext } from './model-context';
import { createScheduleModel, type ScheduleFields } from './schedule-model';
import { newIdempotencyKey } from './submission';

export type View = 'add' | 'schedule' | 'confirm';
export type AuthState =
  | { status: 'loading' }
  | { status: 'signed_out'; reason: string | null }
  | { status: 'signed_in'; provider: ProviderSummary };

export interface Drafts {
  view?: View;
  add?: AddClientFields;
  schedule?: ScheduleFields;
  confirm?: Record<string, ConfirmFields>;
}

/** The popup's window onto the pending prefill and the drafts (storage.session in the real popup). */
export interface PopupStore {
  takePrefill(): Promise<Prefill | null>;
  watchPrefill(cb: () => void): () => void;
  loadDrafts(): Promise<Drafts | null>;
  saveDrafts(drafts: Drafts): void;
}

export interface AppDeps {
  send: Send;
  store?: PopupStore;
  now?: () => Date;
  newKey?: () => string;
  openOptions?: () => void;
}

/** A prefill older than this is from an earlier click whose popup never read it. */
const PREFILL_MAX_AGE_MS = 2 * 60_000;

export function createAppState(deps: AppDeps) {
  const now = deps.now ?? (() => new Date());
  const auth = signal<AuthState>({ status: 'loading' });
  const apiBase = signal('');
  const view = signal<View>('add');
  const notice = signal('');
  const timeZone = computed(() =>
    auth.value.status === 'signed_in' ? auth.value.provider.timeZone : Intl.DateTimeFormat().resolvedOptions().timeZone,
  );

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
  const schedule = createScheduleModel(ctx);
  const confirm = createConfirmModel(ctx);
  const signIn = createAuthModel(ctx, (provider) => {
    auth.value = { status: 'signed_in', provider };
    announce(`Signed in as ${provider.name}.`);
    void afterSignIn();
  });

  function show(next: View): void {
    view.value = next;
    notice.value = '';
    if (next === 'confirm' && auth.value.status === 'signed_in' && !confirm.loading.value) void confirm.load();
  }

  async function takePrefill(): Promise<boolean> {
    const prefill = await deps.store?.takePrefill();
    if (!prefill || now().getTime() - Date.parse(prefill.createdAt) > PREFILL_MAX_AGE_MS) return false;
    batch(() => {
      schedule.applyPrefill(prefill);
      view.value = 'schedule';
    });
    return true;
  }

  async function afterSignIn(): Promise<void> {
    if (!(await takePrefill()) && view.value === 'confirm') void confirm.load();
  }

  let started = false;
  /** Reads auth, drafts and any pending prefill; call once when the popup opens. */
  async function start(): Promise<void> {
    if (started) return;
    started = true;
    const drafts = await deps.store?.loadDrafts().catch(() => null);
    if (drafts) {
      batch(() => {
        if (drafts.add) addClient.fields.value = drafts.add;
        if (drafts.schedule) schedule.fields.value = drafts.schedule;
        if (drafts.confirm) confirm.restore(drafts.confirm);
        if (drafts.view) view.value = drafts.view;
      });
    }
    const status = await deps.send('auth.status', {});
    if (status.ok) {
      apiBase.value = status.data.apiBase;
      auth.value = status.data.provider
        ? { status: 'signed_in', provider: status.data.provider }
        : { status: 'signed_out', reason: null };
    } else {
      auth.value = { status: 'signed_out', reason: status.error.message };
    }
    // The menu may write the prefill just after the popup opened (Firefox opens it first).
    deps.store?.watchPrefill(() => {
      if (auth.value.status === 'signed_in') void takePrefill();
    });
    if (auth.value.status === 'signed_in') await afterSignIn();
    // Every keystroke is kept in session storage: the popup closes whenever it loses focus.
    if (deps.store) {
      const store = deps.store;
      effect(() => {
        const confirmFields = confirm.fields.value;
        const selected = confirm.selected.value;
        const confirmDrafts = {
          ...confirm.drafts(),
          ...(selected && confirmFields ? { [selected.id]: confirmFields } : {}),
        };
        store.saveDrafts({
          view: view.value,
          add: addClient.fields.value,
          schedule: schedule.fields.value,
          confirm: confirmDrafts,
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
    schedule.pickClient(client);
    show('schedule');
    announce(`${client.firstName} ${client.lastName} is already on your roster; schedule a session with them here.`);
  }

  return {
    auth,
    apiBase,
    view,
    notice,
    timeZone,
    now,
    addClient,
    schedule,
    confirm,
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
