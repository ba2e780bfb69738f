// Options: the signed-in account — "Sign out everywhere" and the recent activity (sign-ins, sign-outs,
// client links, billing data, staff changes), so a provider can spot a sign-in that was not theirs.
import { useEffect, useState } from 'preact/hooks';
import type { ActivityItem } from '../../shared/api-types';
import type { Send } from '../messages';
import type { ProviderSummary } from '../storage';
import { activityTime, describeActivity, networkWords } from '../options/activity';

export function AccountSection({
  send,
  provider,
  onSignedOut,
}: {
  send: Send;
  provider: ProviderSummary;
  onSignedOut: () => void;
}) {
  const [items, setItems] = useState<ActivityItem[] | null>(null);
  const [loadError, setLoadError] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void send('account.activity', {}).then((r) => {
      if (r.ok) setItems(r.data);
      else setLoadError(r.error.message);
    });
  }, [send]);

  function signOutEverywhere() {
    setError('');
    setBusy(true);
    void send('auth.signOutEverywhere', {})
      .then((r) => {
        if (r.ok) onSignedOut();
        else setError(`${r.error.message} You are still signed in everywhere; try again.`);
      })
      .finally(() => setBusy(false));
  }

  return (
    <section class="view" aria-labelledby="account-title">
      <h2 id="account-title">Your account</h2>
      <p>
        Signed in as {provider.name} ({provider.email}).
      </p>
      <div class="actions">
        <button
          type="button"
          disabled={busy}
          aria-busy={busy || undefined}
          aria-describedby="signout-all-hint"
          onClick={signOutEverywhere}
        >
          Sign out everywhere
        </button>
      </div>
      <p id="signout-all-hint" class="hint">
        Ends every Caseload sign-in on every computer, this one included — for a lost or shared computer.
      </p>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <h3 id="activity-title">Recent activity</h3>
      {loadError && <p class="field-error">{loadError}</p>}
      {items === null && !loadError && <p class="hint">Loading…</p>}
      {items?.length === 0 && <p class="hint">Nothing yet.</p>}
      {items && items.length > 0 && (
        <ul class="activity" aria-labelledby="activity-title">
          {items.map((item) => (
            <li key={item.id}>
              <time dateTime={item.at}>{activityTime(item.at)}</time> — {describeActivity(item)},{' '}
              {networkWords(item.network)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
