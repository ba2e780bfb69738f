// Add client: first name, last name, email → "Save and notify" (Enter) or "Save only".
import { useRef } from 'preact/hooks';
import { useApp } from '../popup/app-state';
import { FailureNote } from './FailureNote';
import { Field, focusFirstInvalid } from './Field';

export function AddClientView() {
  const app = useApp();
  const m = app.addClient;
  const form = useRef<HTMLFormElement>(null);
  const f = m.fields.value;
  const e = m.errors.value;
  const busy = m.busy.value;
  const failure = m.failure.value;

  async function save(notify: boolean) {
    const ok = await m.submit(notify);
    if (!ok) focusFirstInvalid(form.current);
    else form.current?.querySelector<HTMLInputElement>('input')?.focus();
  }

  return (
    <form
      ref={form}
      class="view"
      aria-labelledby="add-title"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        void save(true);
      }}
    >
      <h1 id="add-title">Add client</h1>
      <div class="row">
        <Field
          id="add-first"
          label="First name"
          value={f.firstName}
          error={e.firstName}
          autoComplete="off"
          autoFocus
          onValue={(v) => m.update('firstName', v)}
        />
        <Field
          id="add-last"
          label="Last name"
          value={f.lastName}
          error={e.lastName}
          autoComplete="off"
          onValue={(v) => m.update('lastName', v)}
        />
      </div>
      <Field
        id="add-email"
        label="Email"
        type="email"
        value={f.email}
        error={e.email}
        autoComplete="off"
        spellcheck={false}
        onValue={(v) => m.update('email', v)}
      />
      <FailureNote failure={failure}>
        {failure?.kind === 'api' && failure.code === 'client_exists' && (
          <button type="button" class="link" onClick={() => void app.openExistingClient()}>
            Open client
          </button>
        )}
      </FailureNote>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy !== null} aria-busy={busy === 'notify' || undefined}>
          Save and notify
        </button>
        <button
          type="button"
          disabled={busy !== null}
          aria-busy={busy === 'save' || undefined}
          onClick={() => void save(false)}
        >
          Save only
        </button>
      </div>
      <p class="hint">“Save and notify” emails the client a link to set up their account.</p>
    </form>
  );
}
