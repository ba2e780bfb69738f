// The three jobs as tabs: arrow keys move between them (roving focus), Enter/Space or a click opens one.
import type { View } from '../popup/app-state';
import { useApp } from '../popup/app-state';

const TABS: { view: View; label: string }[] = [
  { view: 'add', label: 'Add client' },
  { view: 'schedule', label: 'Schedule' },
  { view: 'confirm', label: 'Confirm' },
];

export function Tabs() {
  const app = useApp();
  const current = app.view.value;

  function onKeyDown(e: KeyboardEvent) {
    const i = TABS.findIndex((t) => t.view === current);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step && e.key !== 'Home' && e.key !== 'End') return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : (i + step + TABS.length) % TABS.length;
    const tab = TABS[next];
    if (!tab) return;
    app.show(tab.view);
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
          tabIndex={current === t.view ? 0 : -1}
          onClick={() => app.show(t.view)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
