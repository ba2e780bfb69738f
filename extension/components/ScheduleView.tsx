// Schedule: client type-ahead, date and time in the provider's zone, length, place, repeat, notify → "Add".
import { useRef } from 'preact/hooks';
import { zoneLabel } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import { fullName } from '../popup/format';
import { LENGTH_PRESETS, type ScheduleModel } from '../popup/schedule-model';
import { Combobox } from './Combobox';
import { FailureNote } from './FailureNote';
import { Field, FieldError, focusFirstInvalid } from './Field';

export function ScheduleView({ m }: { m: ScheduleModel }) {
  const app = useApp();
  const form = useRef<HTMLFormElement>(null);
  const f = m.fields.value;
  const e = m.errors.value;
  const busy = m.busy.value;
  const failure = m.failure.value;
  const sel = m.fromSelection.value;
  const tz = app.timeZone.value;
  const conflict =
    failure?.kind === 'api' && failure.code === 'schedule_conflict' ? m.conflictText(failure.conflictSessions) : null;

  async function add() {
    if (!(await m.submit())) focusFirstInvalid(form.current);
    else form.current?.querySelector<HTMLInputElement>('input')?.focus();
  }

  return (
    <form
      ref={form}
      class="view"
      aria-labelledby="schedule-title"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        void add();
      }}
    >
      <h1 id="schedule-title">Schedule a session</h1>
      {sel && (
        <div class="selection" role="note">
          <p class="quote">“{sel.text}”</p>
          <p class="hint">
            {sel.found === 'date_time' && 'Date and time read from your selection; check them.'}
            {sel.found === 'date' && 'A day was found in your selection but no time; enter the time.'}
            {sel.found === 'nothing' && 'No date or time found in your selection; enter them below.'}
          </p>
        </div>
      )}
      <Combobox
        id="sch-client"
        label="Client"
        value={f.clientQuery}
        options={m.suggestions.value.map((c) => ({ id: c.id, label: fullName(c), detail: c.email }))}
        busy={m.searching.value}
        error={e.client}
        placeholder="Type a name or email"
        autoFocus={!f.client}
        emptyText={f.client ? undefined : 'No client on your roster matches.'}
        onValue={m.typeClient}
        onPick={(o) => {
          const c = m.suggestions.value.find((s) => s.id === o.id);
          if (c) m.pickClient(c);
        }}
      />
      <div class="row">
        <Field
          id="sch-date"
          label="Date"
          type="date"
          value={f.date}
          error={e.date}
          required
          onValue={(v) => m.update('date', v)}
        />
        <Field
          id="sch-time"
          label="Time"
          type="time"
          step={300}
          value={f.time}
          error={e.time}
          required
          autoFocus={!!f.client && !f.time}
          onValue={(v) => m.update('time', v)}
        />
      </div>
      <p class="hint">Times are in {zoneLabel(tz, app.now())}.</p>
      <fieldset class="choices">
        <legend>Length</legend>
        {LENGTH_PRESETS.map((len) => (
          <label key={len} class="chip">
            <input
              type="radio"
              name="sch-length"
              value={len}
              checked={f.length === len}
              onChange={() => m.update('length', len)}
            />
            {len} min
          </label>
        ))}
        <label class="chip">
          <input
            type="radio"
            name="sch-length"
            value="custom"
            checked={f.length === 'custom'}
            onChange={() => m.update('length', 'custom')}
          />
          Custom
        </label>
        {f.length === 'custom' && (
          <Field
            id="sch-custom"
            class="inline"
            label="Custom length (minutes)"
            type="number"
            min={15}
            max={240}
            inputMode="numeric"
            value={f.customLength}
            error={e.customLength}
            autoFocus
            onValue={(v) => m.update('customLength', v)}
          />
        )}
        <FieldError id="sch-length" error={e.length} />
      </fieldset>
      <fieldset class="choices">
        <legend>Location</legend>
        <label class="chip">
          <input
            type="radio"
            name="sch-location"
            value="office"
            checked={f.location === 'office'}
            onChange={() => m.update('location', 'office')}
          />
          Office
        </label>
        <label class="chip">
          <input
            type="radio"
            name="sch-location"
            value="telehealth"
            checked={f.location === 'telehealth'}
            onChange={() => m.update('location', 'telehealth')}
          />
          Telehealth
        </label>
        <FieldError id="sch-location" error={e.location} />
      </fieldset>
      <div class="row">
        <div class="field">
          <label for="sch-repeat">Repeat</label>
          <select
            id="sch-repeat"
            value={f.repeat}
            onChange={(ev) => m.update('repeat', ev.currentTarget.value as typeof f.repeat)}
          >
            <option value="none">Does not repeat</option>
            <option value="week">Every week</option>
            <option value="2weeks">Every 2 weeks</option>
          </select>
        </div>
        {f.repeat !== 'none' && (
          <Field
            id="sch-count"
            label="Number of sessions"
            type="number"
            min={2}
            max={52}
            inputMode="numeric"
            value={f.count}
            error={e.count}
            onValue={(v) => m.update('count', v)}
          />
        )}
      </div>
      <label class="check">
        <input type="checkbox" checked={f.notify} onChange={(ev) => m.update('notify', ev.currentTarget.checked)} />
        Notify client
      </label>
      <FailureNote failure={failure}>{conflict && <p>{conflict}</p>}</FailureNote>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy !== null} aria-busy={busy !== null || undefined}>
          Add
        </button>
      </div>
    </form>
  );
}
