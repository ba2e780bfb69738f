// Confirm: past unconfirmed sessions, oldest first; picking one opens its confirmation form.
import { formatInZone } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import { fullName } from '../popup/format';
import { ConfirmForm } from './ConfirmForm';
import { FailureNote } from './FailureNote';

export function ConfirmView() {
  const app = useApp();
  const m = app.confirm;
  if (m.selected.value) return <ConfirmForm />;
  const sessions = m.sessions.value;
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
              <button type="button" class="session" autoFocus={i === 0} onClick={() => m.pick(a)}>
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
