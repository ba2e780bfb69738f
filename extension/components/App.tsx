// The popup: sign-in, or the three views under their tabs, with one status line.
import { useEffect } from 'preact/hooks';
import { useApp } from '../popup/app-state';
import { AddClientView } from './AddClientView';
import { ConfirmView } from './ConfirmView';
import { ScheduleView } from './ScheduleView';
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
    } else if (app.view.value === 'confirm' && app.confirm.selected.value) {
      e.preventDefault();
      app.confirm.back();
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
            <div id="panel" role="tabpanel" aria-labelledby={`tab-${app.view.value}`}>
              {app.view.value === 'add' && <AddClientView />}
              {app.view.value === 'schedule' && <ScheduleView />}
              {app.view.value === 'confirm' && <ConfirmView />}
            </div>
          </>
        )}
      </main>
      {auth.status === 'signed_in' && (
        <footer>
          <span>{auth.provider.name}</span>
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
