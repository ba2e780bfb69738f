// Confirm: past unconfirmed sessions, oldest first; picking one opens its confirmation form (a chunk of
// its own: until it is here the list stays, the picked session marked busy).
import { formatInZone } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import type { ConfirmModel } from '../popup/confirm-model';
import { fullName } from '../popup/format';
import { loadView, viewParts } from '../popup/lazy-views';
import { FailureNote } from './FailureNote';

export function ConfirmView({ m }: { m: ConfirmModel }) {
  const app = useApp();
  const picked = m.selected.value;
  const form = viewParts('confirmForm');
  if (picked && form) return <form.ConfirmForm m={m} />;
  const sessions = m.sessions.value;

  function pick(a: NonNullable<typeof sessions>[number]) {
    m.pick(a);
    loadView('confirmForm').catch(() => {
      m.back();
      app.notice.value =
        'Caseload could not open that session. Close and reopen the popup; nothing you typed was lost.';
    });
  }

  const tz = app.timeZone.value;

  return (
    <section class="view" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Sessions to confirm</h1>
      <FailureNote failure={m.listFailure.value}>
        <button type="button" onClick={() => void m.load()}>
          Try again
        </button>
      </FailureNote>
      {sessions === null && m.loading.value && (
        <p class="hint" aria-live="polite">
          Loading sessions…
        </p>
      )}
      {sessions?.length === 0 && <p class="empty">Nothing to confirm. Every past session is done.</p>}
      {sessions && sessions.length > 0 && (
        <ul class="sessions" aria-label="Past sessions waiting for confirmation, oldest first">
          {sessions.map((a, i) => (
            <li key={a.id}>
              <button
                type="button"
                class="session"
                autoFocus={i === 0}
                aria-busy={picked?.id === a.id || undefined}
                onClick={() => pick(a)}
              >
                <span class="who">{fullName(a.client)}</span>
                <span class="when">
                  {formatInZone(a.startsAt, tz, { short: true })} · {a.durationMinutes} min
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
