// Confirm: past unconfirmed sessions, oldest first. Picking one opens its confirmation form (a chunk of its
// own: until it is here the list stays, the picked session marked busy); No-show, Late cancel and Canceled
// ask first ("Mark … as a no-show? [Mark no-show] [Keep]") and send nothing before the second press.
// Sessions past the 30-day window can no longer be confirmed: they offer only the other outcomes.
import type { Appointment } from '../../shared/api-types';
import { formatInZone } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import { type CancelReason, type ConfirmModel, dayOf, OUTCOMES, type Outcome } from '../popup/confirm-model';
import { fullName } from '../popup/format';
import { loadView, viewParts } from '../popup/lazy-views';
import { FailureNote } from './FailureNote';

const KEYS: Record<string, Outcome> = { n: 'no_show', l: 'late_cancel', c: 'canceled' };

/** Focus after the list has re-rendered. */
function focusSoon(selector: string): void {
  setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus(), 0);
}

/** A session's first control: its Confirm button, or No-show when it can no longer be confirmed. */
const firstControl = (id: string) => `li[data-id="${id}"] button`;

export function ConfirmView({ m }: { m: ConfirmModel }) {
  const app = useApp();
  const picked = m.selected.value;
  const form = viewParts('confirmForm');
  if (picked && form) return <form.ConfirmForm m={m} />;
  const sessions = m.sessions.value;
  const asking = m.asking.value;

  function pick(a: Appointment) {
    m.pick(a);
    loadView('confirmForm').catch(() => {
      m.back();
      app.notice.value =
        'Caseload could not open that session. Close and reopen the popup; nothing you typed was lost.';
    });
  }

  function ask(a: Appointment, outcome: Outcome) {
    m.ask(a, outcome);
    focusSoon(`li[data-id="${a.id}"] [data-ask-primary]`);
  }

  function keep(a: Appointment) {
    const outcome = m.asking.value?.outcome;
    m.keep();
    focusSoon(`li[data-id="${a.id}"] [data-outcome="${outcome}"]`);
  }

  async function resolve(a: Appointment, reason: CancelReason) {
    const next = await m.resolve(a, reason);
    // Failed: the question stays, with the reason, its button pressed again.
    if (next === undefined) return focusSoon(`li[data-id="${a.id}"] [data-ask-primary]`);
    focusSoon(next ? firstControl(next) : '#confirm-empty');
  }

  function onKeyDown(e: KeyboardEvent, a: Appointment) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'Escape' && m.asking.value?.id === a.id) {
      e.preventDefault();
      keep(a);
      return;
    }
    const outcome = KEYS[e.key.toLowerCase()];
    if (outcome && !m.asking.value && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault();
      ask(a, outcome);
    }
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
      {sessions?.length === 0 && (
        <p class="empty" id="confirm-empty" tabIndex={-1}>
          Nothing to confirm. Every past session is done.
        </p>
      )}
      {sessions && sessions.length > 0 && (
        <>
          <ul class="sessions" aria-label="Past sessions waiting for confirmation, oldest first">
            {sessions.map((a, i) => {
              const name = fullName(a.client);
              const closed = m.windowClosed(a);
              const when = `${formatInZone(a.startsAt, tz, { short: true })} · ${a.durationMinutes} min`;
              const q = asking?.id === a.id ? asking : null;
              return (
                <li key={a.id} data-id={a.id} class={closed ? 'closed' : undefined} onKeyDown={(e) => onKeyDown(e, a)}>
                  {closed ? (
                    <p class="session" id={`s-${a.id}`}>
                      <span class="who">{name}</span>
                      <span class="when">{when}</span>
                      <span class="window">Past 30 days: can no longer be confirmed</span>
                    </p>
                  ) : (
                    <button
                      type="button"
                      class="session"
                      id={`s-${a.id}`}
                      autoFocus={i === 0}
                      aria-busy={picked?.id === a.id || undefined}
                      onClick={() => pick(a)}
                    >
                      <span class="who">{name}</span>
                      <span class="when">{when}</span>
                    </button>
                  )}
                  {q ? (
                    <Ask
                      m={m}
                      a={a}
                      outcome={q.outcome}
                      question={`Mark ${name}’s ${dayOf(a.startsAt, tz)} session ${OUTCOMES[q.outcome].as}?`}
                      onResolve={(reason) => void resolve(a, reason)}
                      onKeep={() => keep(a)}
                    />
                  ) : (
                    <fieldset class="outcomes" aria-labelledby={`s-${a.id}`}>
                      {(Object.keys(OUTCOMES) as Outcome[]).map((o) => (
                        <button
                          key={o}
                          type="button"
                          class="small"
                          data-outcome={o}
                          autoFocus={closed && i === 0 && o === 'no_show'}
                          onClick={() => ask(a, o)}
                        >
                          {OUTCOMES[o].button}
                        </button>
                      ))}
                    </fieldset>
                  )}
                </li>
              );
            })}
          </ul>
          <p class="hint keys">
            Enter on a session opens its confirmation. N: no-show, L: late cancel, C: canceled (each asks first; Esc
            keeps the session).
          </p>
        </>
      )}
    </section>
  );
}

function Ask({
  m,
  a,
  outcome,
  question,
  onResolve,
  onKeep,
}: {
  m: ConfirmModel;
  a: Appointment;
  outcome: Outcome;
  question: string;
  onResolve: (reason: CancelReason) => void;
  onKeep: () => void;
}) {
  const busy = m.resolving.value === a.id;
  const failure = m.resolveFailure.value?.id === a.id ? m.resolveFailure.value.failure : null;
  // The second click of a double click on the outcome lands here: only a press of its own sends.
  const press = (reason: CancelReason) => (e: MouseEvent) => {
    if (e.detail > 1) return;
    onResolve(reason);
  };
  const choices: { reason: CancelReason; label: string }[] =
    outcome === 'canceled'
      ? [
          { reason: 'client', label: 'Client canceled' },
          { reason: 'provider', label: 'I canceled' },
        ]
      : [{ reason: outcome, label: outcome === 'no_show' ? 'Mark no-show' : 'Mark late cancel' }];
  return (
    <fieldset class="ask" aria-labelledby={`ask-${a.id}`} aria-busy={busy || undefined}>
      <p id={`ask-${a.id}`}>{question}</p>
      <div class="actions">
        {choices.map((c, i) => (
          <button
            key={c.reason}
            type="button"
            class={i === 0 ? 'primary' : undefined}
            data-ask-primary={i === 0 || undefined}
            disabled={busy}
            onClick={press(c.reason)}
          >
            {c.label}
          </button>
        ))}
        <button type="button" disabled={busy} onClick={onKeep}>
          Keep
        </button>
      </div>
      <FailureNote failure={failure} />
    </fieldset>
  );
}
