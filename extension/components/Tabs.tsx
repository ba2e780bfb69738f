// The three jobs as tabs: arrow keys move between them (roving focus), Enter/Space or a click opens one.
// A tab whose view is still loading is marked busy; pointing at a tab starts loading its view.
import type { View } from '../popup/app-state';
import { useApp } from '../popup/app-state';
import { useEffect } from 'preact/hooks';
import { type LazyView, loadView } from '../popup/lazy-views';

const TABS: { view: View; label: string; chunk?: LazyView }[] = [
  { view: 'add', label: 'Add client' },
  { view: 'schedule', label: 'Schedule', chunk: 'schedule' },
  { view: 'confirm', label: 'Confirm', chunk: 'confirm' },
  { view: 'today', label: 'Today', chunk: 'today' },
];

export function Tabs() {
  const app = useApp();
  const current = app.view.value;
  const pending = app.pending.value;

  // Alt+T opens Today from anywhere in the popup (e.code: on a Mac, Option+T types a character).
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!e.altKey || e.ctrlKey || e.metaKey || e.code !== 'KeyT') return;
      e.preventDefault();
      void app.show('today');
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [app]);

  function onKeyDown(e: KeyboardEvent) {
    // From the tab asked for last, so that arrows keep moving while a view loads.
    const i = TABS.findIndex((t) => t.view === (pending ?? current));
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : (i + step + TABS.length) % TABS.length;
    const tab = TABS[next];
    if (!tab) return;
    void app.show(tab.view);
    setTimeout(() => document.getElementById(`tab-${tab.view}`)?.focus(), 0);
  }

  return (
    <div role="tablist" aria-label="Caseload" class="tabs" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.view}
          type="button"
          role="tab"
          id={`tab-${t.view}`}
          aria-selected={current === t.view}
          aria-controls="panel"
          aria-busy={pending === t.view || undefined}
          tabIndex={current === t.view ? 0 : -1}
          aria-keyshortcuts={t.view === 'today' ? 'Alt+T' : undefined}
          onPointerEnter={() => t.chunk && void loadView(t.chunk).catch(() => undefined)}
          onClick={() => void app.show(t.view)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
