// The popup: sign-in, or the three views under their tabs, with one status line. Sign-in and Add client
// (the first view after signing in) are in the first chunk; Schedule and Confirm are loaded on demand.
import { useEffect } from 'preact/hooks';
import { useApp } from '../popup/app-state';
import { viewParts } from '../popup/lazy-views';
import { AddClientView } from './AddClientView';
import { SignIn } from './SignIn';
import { Tabs } from './Tabs';

export function App() {
  const app = useApp();
  const auth = app.auth.value;

  useEffect(() => {
    void app.start();
  }, [app]);

  // Escape backs out one level: a picked session → the list, the code step → the email step.
  function onKeyDown(e: KeyboardEvent) {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (auth.status === 'signed_out' && app.signIn.step.value === 'code') {
      e.preventDefault();
      app.signIn.back();
    } else if (app.view.value === 'confirm' && app.confirm.value?.selected.value) {
      e.preventDefault();
      app.confirm.value.back();
      setTimeout(() => document.querySelector<HTMLElement>('.session')?.focus(), 0);
    } else if (app.notice.value) {
      e.preventDefault();
      app.notice.value = '';
    }
  }

  return (
    <div class="app" onKeyDown={onKeyDown}>
      {/* One main landmark holds every view (axe: landmark-one-main, region); a tabpanel is a div, not the main. */}
      <main>
        {auth.status === 'loading' && (
          <p class="hint" aria-live="polite">
            Loading…
          </p>
        )}
        {auth.status === 'signed_out' && <SignIn reason={auth.reason} />}
        {auth.status === 'signed_in' && (
          <>
            <Tabs />
            <div
              id="panel"
              role="tabpanel"
              aria-labelledby={`tab-${app.view.value}`}
              aria-busy={app.pending.value !== null || undefined}
            >
              <Panel />
            </div>
          </>
        )}
      </main>
      {auth.status === 'signed_in' && (
        <footer>
          <span>{auth.provider.name}</span>
          {/* A plain link: the browser opens the extension's page in a tab, with no permission and no script. */}
          <a href="/claims.html" target="_blank" rel="noopener">
            Claims
          </a>
          <button type="button" class="link" onClick={() => void app.signOut()}>
            Sign out
          </button>
        </footer>
      )}
      <p class="notice" role="status" aria-live="polite">
        {app.notice.value}
      </p>
    </div>
  );
}

/** The current view; a lazy one is only made current once its chunk and model are here. */
function Panel() {
  const app = useApp();
  const view = app.view.value;
  if (view === 'schedule') {
    const parts = viewParts('schedule');
    const m = app.schedule.value;
    return parts && m ? <parts.ScheduleView m={m} /> : null;
  }
  if (view === 'today') {
    const parts = viewParts('today');
    const m = app.today.value;
    return parts && m ? <parts.TodayView m={m} /> : null;
  }
  if (view === 'confirm') {
    const parts = viewParts('confirm');
    const m = app.confirm.value;
    return parts && m ? <parts.ConfirmView m={m} /> : null;
  }
  return <AddClientView />;
}
