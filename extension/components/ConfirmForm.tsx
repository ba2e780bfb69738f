// One session's confirmation: actual times, CPT (suggested from the length), ICD-10 codes, note → "Confirm".
import { useEffect, useRef } from 'preact/hooks';
import { formatInZone } from '../../shared/time/zones';
import { useApp } from '../popup/app-state';
import type { ConfirmModel } from '../popup/confirm-model';
import { fullName } from '../popup/format';
import { draftStatusText } from '../popup/note-drafts';
import { openSettingsAt, settingsSection, withProviderBillingMessage } from '../popup/provider-billing';
import { BillingIncomplete } from './BillingIncomplete';
import { Combobox } from './Combobox';
import { FailureNote } from './FailureNote';
import { Field, FieldError, focusFirstInvalid } from './Field';

export function ConfirmForm({ m }: { m: ConfirmModel }) {
  const app = useApp();
  const form = useRef<HTMLFormElement>(null);
  // The note's last change goes to the server at once when the form is left or the popup hides. A closing
  // popup's pagehide/visibilitychange is not enough on its own (in Chromium a message posted then did not
  // arrive: drafts.e2e.ts): the background also holds the unsaved text over a port and sends it when the
  // port disconnects (note-drafts.ts, background/note-draft-port.ts).
  useEffect(() => {
    const flush = () => m.flushNote();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      flush();
    };
  }, [m]);
  const a = m.selected.value;
  const f = m.fields.value;
  if (!a || !f) return null;
  const e = m.errors.value;
  const busy = m.busy.value;
  const failure = m.failure.value;
  const tz = app.timeZone.value;
  const times = m.actual.value;
  const advice = m.cptAdvice.value;
  const name = fullName(a.client);

  async function confirm() {
    if (!(await m.submit())) focusFirstInvalid(form.current);
  }

  const cptHint =
    times && times.minutes > 0
      ? advice.suggested
        ? `${times.minutes} minutes: ${advice.suggested} suggested.`
        : `${times.minutes} minutes: no time-based psychotherapy code fits.`
      : undefined;

  return (
    <form
      ref={form}
      class="view"
      aria-labelledby="confirm-form-title"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        void confirm();
      }}
    >
      <button type="button" class="link back" onClick={() => m.back()}>
        Back to list
      </button>
      <h1 id="confirm-form-title">
        Confirm {name}
        <span class="sub">
          {formatInZone(a.startsAt, tz, { short: true })} · {a.durationMinutes} min ·{' '}
          {a.location.type === 'telehealth' ? 'Telehealth' : 'Office'}
        </span>
      </h1>
      <div class="row">
        <Field
          id="cf-start"
          label="Actual start"
          type="time"
          value={f.startTime}
          error={e.startTime}
          onValue={(v) => m.update('startTime', v)}
        />
        <Field
          id="cf-end"
          label="Actual end"
          type="time"
          value={f.endTime}
          error={e.endTime}
          onValue={(v) => m.update('endTime', v)}
        />
      </div>
      <div class="field">
        <label for="cf-cpt">CPT code</label>
        <select
          id="cf-cpt"
          value={f.cptCode}
          aria-invalid={e.cptCode ? true : undefined}
          aria-describedby={[
            'cf-cpt-hint',
            e.cptCode ? 'cf-cpt-error' : '',
            !e.cptCode && advice.problems.length ? 'cf-cpt-rule' : '',
          ]
            .filter(Boolean)
            .join(' ')}
          onChange={(ev) => m.update('cptCode', ev.currentTarget.value)}
        >
          <option value="">Choose a code</option>
          {m.cptCodes.value.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} · {r.description}
            </option>
          ))}
        </select>
        <p id="cf-cpt-hint" class="hint">
          {cptHint}
        </p>
        {!e.cptCode && advice.problems.length > 0 && (
          <p id="cf-cpt-rule" class="warning">
            {advice.problems.join(' ')}
          </p>
        )}
        <FieldError id="cf-cpt" error={e.cptCode} />
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={f.interactiveComplexity}
          onChange={(ev) => m.update('interactiveComplexity', ev.currentTarget.checked)}
        />
        Interactive complexity (90785)
      </label>
      {advice.crisisAddOn && f.cptCode === '90839' && (
        <label class="check">
          <input
            type="checkbox"
            checked={f.crisisAddOn}
            onChange={(ev) => m.update('crisisAddOn', ev.currentTarget.checked)}
          />
          Crisis, each extra 30 minutes (90840 × {advice.crisisAddOn.units})
        </label>
      )}
      <Combobox
        id="cf-icd"
        label="Diagnosis (ICD-10)"
        value={f.icdQuery}
        options={m.icdResults.value.map((r) => ({
          id: r.code,
          label: `${r.code} ${r.description}`,
          detail: r.billable ? undefined : 'not billable',
        }))}
        busy={m.icdSearching.value}
        error={e.diagnosisCodes}
        placeholder="Code or words, e.g. F41.1 or anxiety"
        emptyText="No code matches."
        onValue={m.searchIcd}
        onPick={(o) => {
          const hit = m.icdResults.value.find((r) => r.code === o.id);
          if (hit) m.addDiagnosis(hit);
        }}
      />
      {f.diagnoses.length > 0 && (
        <ul class="codes" aria-label="Diagnosis codes, primary first">
          {f.diagnoses.map((d) => (
            <li key={d.code}>
              <span>
                <strong>{d.code}</strong> {d.description}
              </span>
              <button
                type="button"
                class="icon"
                aria-label={`Remove ${d.code}`}
                onClick={() => m.removeDiagnosis(d.code)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {a.location.type === 'telehealth' && (
        <div class="field">
          <label for="cf-where">Client was at</label>
          <select
            id="cf-where"
            value={f.patientLocation}
            onChange={(ev) => m.update('patientLocation', ev.currentTarget.value as 'home' | 'other')}
          >
            <option value="home">Home (POS 10)</option>
            <option value="other">Somewhere else (POS 02)</option>
          </select>
          <label for="cf-modality">Held by</label>
          <select
            id="cf-modality"
            value={f.telehealthModality}
            onChange={(ev) => m.update('telehealthModality', ev.currentTarget.value as 'video' | 'audio')}
          >
            <option value="video">Video (modifier 95)</option>
            <option value="audio">Audio only (modifier 93)</option>
          </select>
        </div>
      )}
      <div class="field">
        <label for="cf-note">Progress note</label>
        <textarea
          id="cf-note"
          rows={5}
          value={f.note}
          aria-invalid={e.note ? true : undefined}
          aria-describedby={e.note ? 'cf-note-hint cf-note-draft cf-note-error' : 'cf-note-hint cf-note-draft'}
          onInput={(ev) => m.update('note', ev.currentTarget.value)}
          onKeyDown={(ev) => {
            if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
              ev.preventDefault();
              void confirm();
            }
          }}
        />
        <p id="cf-note-hint" class="hint">
          Ctrl+Enter (⌘+Enter on a Mac) confirms. The note is kept as a draft on the server until then.
        </p>
        <p id="cf-note-draft" class="hint" aria-live="polite">
          {draftStatusText(m.draftStatus.value)}
        </p>
        <FieldError id="cf-note" error={e.note} />
      </div>
      {failure?.kind === 'api' && failure.code === 'billing_incomplete' ? (
        <BillingIncomplete
          clientName={name}
          missing={failure.missingLabels ?? failure.missing ?? []}
          settingsUrl={failure.settingsUrl}
          emailBusy={m.emailBusy.value !== null}
          onEmail={() => void m.emailClient()}
        />
      ) : failure?.kind === 'api' && failure.code === 'provider_billing_incomplete' ? (
        <FailureNote failure={withProviderBillingMessage(failure)}>
          <button type="button" onClick={() => openSettingsAt(settingsSection(failure.missing ?? []))}>
            Open settings
          </button>
        </FailureNote>
      ) : (
        <FailureNote failure={failure} />
      )}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy !== null} aria-busy={busy !== null || undefined}>
          Confirm
        </button>
      </div>
    </form>
  );
}
