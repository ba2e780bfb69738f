// billing_incomplete: exactly what the client still has to give, and two ways to ask them for it.
import { useState } from 'preact/hooks';

interface Props {
  clientName: string;
  /** What is missing, in words. */
  missing: string[];
  settingsUrl?: string;
  emailBusy: boolean;
  onEmail: () => void;
}

export function BillingIncomplete({ clientName, missing, settingsUrl, emailBusy, onEmail }: Props) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  async function copy() {
    if (!settingsUrl) return;
    try {
      await navigator.clipboard.writeText(settingsUrl);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  }
  return (
    <div class="failure billing" role="alert">
      <p>
        {clientName}’s billing information is incomplete, so this session cannot be confirmed yet. Everything you
        entered is kept. Missing:
      </p>
      <ul>
        {missing.map((label) => (
          <li key={label}>{label}</li>
        ))}
      </ul>
      <div class="actions">
        {settingsUrl && (
          <button type="button" onClick={() => void copy()}>
            Copy link
          </button>
        )}
        <button type="button" disabled={emailBusy} aria-busy={emailBusy || undefined} onClick={onEmail}>
          Email the client
        </button>
      </div>
      {settingsUrl && (
        <p class="hint">
          {copied === 'yes' ? 'Link copied. ' : copied === 'no' ? 'Could not copy; select the link: ' : 'Their link: '}
          <span class="url">{settingsUrl}</span>
        </p>
      )}
    </div>
  );
}
