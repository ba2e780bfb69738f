// Under a future session in Today: the Move form (date, time, length) or the Cancel step (who
// canceled; nothing is sent until "Cancel session" is pressed, Escape or "Keep it" backs out).
import type { Appointment } from '../../shared/api-types';
import { zoneLabel } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import { fullName } from '../popup/format';
import type { TodayModel } from '../popup/today-model';
import { FailureNote } from './FailureNote';
import { Field, focusFirstInvalid } from './Field';

export function TodayEdit({ m, a, kind }: { m: TodayModel; a: Appointment; kind: 'move' | 'cancel' }) {
  const app = useApp();
  const busy = m.busy.value;
  const failure = m.actionFailure.value;
  const conflict = m.conflictText(failure);

  if (kind === 'move') {
    const f = m.moveFields.value;
    const e = m.moveErrors.value;
    return (
      <form
        class="slot-edit"
        aria-label={`Move the session with ${fullName(a.client)}`}
        onSubmit={(ev) => {
          ev.preventDefault();
          void m.submitMove().then((ok) => {
            if (!ok) focusFirstInvalid(ev.currentTarget as HTMLElement);
          });
        }}
      >
        <div class="row">
          <Field
            id="move-date"
            label="Date"
            type="date"
            value={f.date}
            error={e.date}
            required
            onValue={(v) => m.updateMove('date', v)}
          />
          <Field
            id="move-time"
            label="Time"
            type="time"
            step={300}
            value={f.time}
            required
            onValue={(v) => m.updateMove('time', v)}
          />
          <Field
            id="move-length"
            label="Minutes"
            type="number"
            min={15}
            max={240}
            inputMode="numeric"
            value={f.length}
            error={e.length}
            required
            onValue={(v) => m.updateMove('length', v)}
          />
        </div>
        <p class="hint">
          Times are in {zoneLabel(app.timeZone.value, app.now())}.
          {a.notifiedAt ? ' The client is emailed the new time.' : ''}
        </p>
        <FailureNote failure={failure}>{conflict && <p class="conflict">{conflict}</p>}</FailureNote>
        <div class="actions">
          <button type="submit" class="primary" aria-busy={busy || undefined} disabled={busy}>
            Move session
          </button>
          <button type="button" onClick={() => m.closeEdit()}>
            Keep as is
          </button>
        </div>
      </form>
    );
  }

  const reason = m.cancelReason.value;
  return (
    <form
      class="slot-edit"
      aria-label={`Cancel the session with ${fullName(a.client)}`}
      onSubmit={(ev) => {
        ev.preventDefault();
        void m.submitCancel();
      }}
    >
      <fieldset class="choices">
        <legend>Who canceled?</legend>
        <label class="chip">
          <input
            type="radio"
            name="cancel-reason"
            value="client"
            id="cancel-reason-client"
            checked={reason === 'client'}
            onChange={() => {
              m.cancelReason.value = 'client';
            }}
          />
          The client
        </label>
        <label class="chip">
          <input
            type="radio"
            name="cancel-reason"
            value="provider"
            checked={reason === 'provider'}
            onChange={() => {
              m.cancelReason.value = 'provider';
            }}
          />
          I did
        </label>
      </fieldset>
      <p class="hint">
        {a.notifiedAt
          ? 'The client is emailed the cancellation, and it is removed from their calendar.'
          : 'The client was never sent this session, so no email goes out.'}
      </p>
      <FailureNote failure={failure} />
      <div class="actions">
        <button type="submit" class="danger" aria-busy={busy || undefined} disabled={busy}>
          Cancel session
        </button>
        <button type="button" onClick={() => m.closeEdit()}>
          Keep it
        </button>
      </div>
    </form>
  );
}
