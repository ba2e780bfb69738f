// Options: the API address (a new origin is asked for as an optional host permission first) and,
// when signed in, the account ("Sign out everywhere", the recent activity), the billing profile and fees
// (`#billing-profile`, `#fees`: the popup opens the page there), a link to the Claims page and the calendar feed.
import { useEffect, useState } from 'preact/hooks';
import type { Send } from '../messages';
import type { ProviderSummary } from '../storage';
import { ext } from '../popup/native';
import { DEFAULT_API_BASE, DEFAULT_API_ORIGINS, normalizeApiBase } from '../storage-keys';
import { AccountSection } from './AccountSection';
import { BillingProfileSection } from './BillingProfileSection';
import { CalendarFeedSection } from './CalendarFeedSection';
import { FeesSection } from './FeesSection';

export function OptionsPage({ send }: { send: Send }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [provider, setProvider] = useState<ProviderSummary | null>(null);

  useEffect(() => {
    void send('auth.status', {}).then((r) => {
      if (!r.ok) return;
      setValue(r.data.apiBase);
      setProvider(r.data.provider);
    });
  }, [send]);

  function save(next: string) {
    const origin = normalizeApiBase(next);
    if (!origin) {
      setError('Enter the full address of the Caseload server, e.g. https://caseload.example.com');
      return;
    }
    setError('');
    setStatus('');
    setBusy(true);
    // permissions.request needs the click's user gesture: it is called before any await.
    const granted = DEFAULT_API_ORIGINS.includes(origin)
      ? Promise.resolve(true)
      : ext().permissions.request({ origins: [`${origin}/*`] });
    void granted
      .then(async (ok) => {
        if (!ok) {
          setError(`Caseload needs your permission to talk to ${origin}. Nothing was changed.`);
          return;
        }
        const reply = await send('settings.setApiBase', { apiBase: origin });
        if (!reply.ok) {
          setError(
            reply.error.kind === 'api' && reply.error.issues?.[0] ? reply.error.issues[0].message : reply.error.message,
          );
          return;
        }
        setValue(reply.data.apiBase);
        if (reply.data.changed) setProvider(null); // signed out: the token belonged to the old server
        setStatus(
          reply.data.changed
            ? `Saved. Caseload now talks to ${reply.data.apiBase}; sign in again from the toolbar button.`
            : `Saved. Caseload talks to ${reply.data.apiBase}.`,
        );
      })
      .catch(() => setError('The browser refused the permission request. Nothing was changed.'))
      .finally(() => setBusy(false));
  }

  return (
    <main class="app">
      <form
        class="view"
        aria-labelledby="options-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save(value);
        }}
      >
        <h1 id="options-title">Caseload settings</h1>
        <div class="field">
          <label for="opt-api">API address</label>
          <input
            id="opt-api"
            type="url"
            spellcheck={false}
            value={value}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'opt-api-hint opt-api-error' : 'opt-api-hint'}
            onInput={(e) => setValue(e.currentTarget.value)}
          />
          <p id="opt-api-hint" class="hint">
            The Caseload server you sign in to. An address other than the local one asks your browser for permission to
            reach it.
          </p>
          {error && (
            <p id="opt-api-error" class="field-error">
              {error}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy || undefined}>
            Save
          </button>
          <button type="button" disabled={busy} onClick={() => save(DEFAULT_API_BASE)}>
            Use the default server
          </button>
        </div>
        <p class="notice" role="status" aria-live="polite">
          {status}
        </p>
      </form>
      {provider && (
        <AccountSection
          send={send}
          provider={provider}
          onSignedOut={() => {
            setProvider(null);
            setStatus('Signed out everywhere. Sign in again from the toolbar button.');
          }}
        />
      )}
      {provider && <BillingProfileSection send={send} />}
      {provider && <FeesSection send={send} />}
      {provider && (
        <section class="view" aria-labelledby="claims-link-title">
          <h2 id="claims-link-title">Claims</h2>
          <p>
            Download the 837P file of your ready claims for your clearinghouse, and record what the payer answered:{' '}
            <a href="/claims.html">open Claims</a>.
          </p>
        </section>
      )}
      {provider && <CalendarFeedSection send={send} />}
    </main>
  );
}
