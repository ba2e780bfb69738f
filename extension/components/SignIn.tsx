// Sign-in: email → emailed 6-digit code → signed in (optionally kept on this computer).
import { useRef } from 'preact/hooks';
import { hostOf } from '../host';
import { useApp } from '../popup/app-state';
import { FailureNote } from './FailureNote';
import { Field, focusFirstInvalid } from './Field';

export function SignIn({ reason }: { reason: string | null }) {
  const app = useApp();
  const m = app.signIn;
  const form = useRef<HTMLFormElement>(null);
  const e = m.errors.value;
  const busy = m.busy.value;
  const host = hostOf(app.apiBase.value);

  if (m.step.value === 'email') {
    return (
      <form
        ref={form}
        class="view"
        aria-labelledby="signin-title"
        noValidate
        onSubmit={async (ev) => {
          ev.preventDefault();
          if (!(await m.requestCode())) focusFirstInvalid(form.current);
        }}
      >
        <h1 id="signin-title">Sign in to Caseload</h1>
        {reason && (
          <p class="failure" role="alert">
            {reason}
          </p>
        )}
        <Field
          id="signin-email"
          label="Email"
          type="email"
          autoComplete="email"
          spellcheck={false}
          autoFocus
          value={m.email.value}
          error={e.email}
          onValue={(v) => {
            m.email.value = v;
          }}
        />
        <FailureNote failure={m.failure.value} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy !== null} aria-busy={busy !== null || undefined}>
            Send code
          </button>
        </div>
        <p class="hint">
          Server: {host || 'not set'}{' '}
          <button type="button" class="link" onClick={app.openOptions}>
            Change server
          </button>
        </p>
      </form>
    );
  }

  return (
    <form
      ref={form}
      class="view"
      aria-labelledby="signin-title"
      noValidate
      onSubmit={async (ev) => {
        ev.preventDefault();
        if (!(await m.signIn())) focusFirstInvalid(form.current);
      }}
    >
      <h1 id="signin-title">Enter your code</h1>
      <p class="hint">
        If {m.email.value} has a Caseload account, a 6-digit code was emailed to it. It works for 10 minutes.
      </p>
      <Field
        id="signin-code"
        label="Code"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        autoFocus
        value={m.code.value}
        error={e.code}
        onValue={(v) => {
          m.code.value = v.replace(/\D/g, '');
        }}
      />
      <label class="check">
        <input
          type="checkbox"
          checked={m.keepSignedIn.value}
          onChange={(ev) => {
            m.keepSignedIn.value = ev.currentTarget.checked;
          }}
        />
        Keep me signed in on this computer
      </label>
      <FailureNote failure={m.failure.value} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy !== null} aria-busy={busy === 'signin' || undefined}>
          Sign in
        </button>
        <button
          type="button"
          disabled={busy !== null}
          aria-busy={busy === 'code' || undefined}
          onClick={() => void m.requestCode()}
        >
          Send a new code
        </button>
        <button type="button" class="link" onClick={m.back}>
          Use a different email
        </button>
      </div>
    </form>
  );
}
