// Today: the day's sessions in order (time, client, length, place, state), the next one highlighted,
// Join for telehealth, previous / next day, and Move / Cancel on each future session.
import { useEffect } from 'preact/hooks';
import type { Appointment } from '../../shared/api-types';
import { formatInZone } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import { fullName } from '../popup/format';
import { dayLabel, placeOf, timeOfDay, type TodayModel } from '../popup/today-model';
import { FailureNote } from './FailureNote';
import { TodayEdit } from './TodayEdit';

/** A key typed into a form control is text, not a command. */
const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName));

export function TodayView({ m }: { m: TodayModel }) {
  const app = useApp();
  const tz = app.timeZone.value;
  const d = m.day.value;
  const next = m.highlighted.value;
  const target = m.focusTarget.value;

  useEffect(() => {
    if (!target) return;
    m.focusTarget.value = null;
    setTimeout(() => document.getElementById(target)?.focus(), 0);
  }, [target, m]);

  // Day keys, anywhere in the popup while Today is shown: [ and ] move a day, T comes back to today.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typing(e.target) || m.editing.peek()) return;
      if (e.key === '[') void m.go(-1);
      else if (e.key === ']') void m.go(1);
      else if (e.key === 't' || e.key === 'T') void m.goToday();
      else return;
      e.preventDefault();
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [m]);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape' && m.editing.value) {
      e.preventDefault();
      m.closeEdit();
    }
  }

  const title = d ? (m.isToday.value ? `Today, ${dayLabel(d.date)}` : dayLabel(d.date)) : 'Today';

  return (
    <section class="view today" aria-labelledby="today-title" onKeyDown={onKeyDown}>
      <div class="day-nav">
        <button
          type="button"
          class="icon"
          aria-label="Previous day"
          aria-keyshortcuts="["
          onClick={() => void m.go(-1)}
        >
          ‹
        </button>
        <h1 id="today-title" tabIndex={-1}>
          {title}
        </h1>
        <button type="button" class="icon" aria-label="Next day" aria-keyshortcuts="]" onClick={() => void m.go(1)}>
          ›
        </button>
      </div>
      {d && !m.isToday.value && (
        <button type="button" class="link" aria-keyshortcuts="T" onClick={() => void m.goToday()}>
          Back to today
        </button>
      )}
      <FailureNote failure={m.failure.value}>
        <button type="button" onClick={() => void m.load(d?.date)}>
          Try again
        </button>
      </FailureNote>
      {m.loading.value && (
        <p class="hint" aria-live="polite">
          Loading the day…
        </p>
      )}
      {d && d.items.length === 0 && <p class="empty">No sessions {m.isToday.value ? 'today' : 'on this day'}.</p>}
      {d && d.items.length > 0 && (
        <ol class="day" aria-label={`Sessions, ${dayLabel(d.date)}, by time (${tz.replace(/_/g, ' ')})`}>
          {d.items.map((a) => (
            <Row key={a.id} m={m} a={a} next={next?.id === a.id} tz={tz} />
          ))}
        </ol>
      )}
      {d?.next && (d.items.length === 0 || m.dayIsOver.value) && (
        <p class="next-up">
          {m.dayIsOver.value ? 'Done for today. Next: ' : 'Next session: '}
          <strong>{fullName(d.next.client)}</strong>, {formatInZone(d.next.startsAt, tz, { short: true })} ·{' '}
          {d.next.durationMinutes} min · {placeOf(d.next)}
        </p>
      )}
      <p class="hint keys">Keys: [ previous day · ] next day · T today · Alt+T opens Today · Esc closes a form</p>
    </section>
  );
}

function Row({ m, a, next, tz }: { m: TodayModel; a: Appointment; next: boolean; tz: string }) {
  const state = m.stateOf(a);
  const editing = m.editing.value?.id === a.id ? m.editing.value : null;
  const url = a.location.type === 'telehealth' ? a.location.url : null;
  const live = a.status === 'scheduled' && state !== 'To confirm';
  return (
    <li
      class={`slot${next ? ' next' : ''}${a.status !== 'scheduled' ? ' settled' : ''}`}
      aria-current={next ? 'true' : undefined}
    >
      <div class="slot-line" id={`session-${a.id}`} tabIndex={-1}>
        <span class="time">{timeOfDay(a.startsAt, tz)}</span>
        <span class="who">{fullName(a.client)}</span>
        <span class="meta">
          {a.durationMinutes} min · {placeOf(a)}
        </span>
        {next && <span class="tag">Next</span>}
        {state && <span class={`state state-${a.status}`}>{state}</span>}
      </div>
      {(url && live) || m.canChange(a) ? (
        <div class="slot-actions">
          {url && live && (
            <a class="button primary" href={url} target="_blank" rel="noopener noreferrer">
              Join<span class="visually-hidden"> the video session with {fullName(a.client)}</span>
            </a>
          )}
          {m.canChange(a) && !editing && (
            <>
              <button type="button" id={`move-${a.id}`} onClick={() => m.startMove(a)}>
                Move<span class="visually-hidden"> the session with {fullName(a.client)}</span>
              </button>
              <button type="button" id={`cancel-${a.id}`} onClick={() => m.startCancel(a)}>
                Cancel<span class="visually-hidden"> the session with {fullName(a.client)}</span>
              </button>
            </>
          )}
        </div>
      ) : null}
      {editing && <TodayEdit m={m} a={a} kind={editing.kind} />}
    </li>
  );
}
