// Options: the private calendar feed. Makes its secret address (shown once, with Copy), makes a new
// one after a confirmation (the old one stops working), or turns it off.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Send } from '../messages';

type Feed =
  | { kind: 'loading' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'off' }
  /** `url` only right after it was made: the server never shows it again. */
  | { kind: 'on'; createdAt: string | null; url: string | null };

/** What a click asks to be confirmed first: both stop the address calendars are subscribed to. */
type Pending = 'replace' | 'turnOff' | null;

export const FEED_EXPLAINED =
  'The feed shows only when your sessions are and each client’s initials: never a name, an email, a diagnosis or a note.';

const CONFIRM_TEXT: Record<Exclude<Pending, null>, { question: string; yes: string }> = {
  replace: {
    question:
      'Calendars subscribed to the current address will stop updating until you give them the new one. Create a new address?',
    yes: 'Yes, create a new address',
  },
  turnOff: {
    question: 'Calendars subscribed to this address will stop updating. Turn the calendar feed off?',
    yes: 'Yes, turn it off',
  },
};

async function clipboardCopy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function madeOn(createdAt: string): string {
  return new Date(createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function CalendarFeedSection({
  send,
  copy = clipboardCopy,
}: {
  send: Send;
  /** Writes to the clipboard; false when the browser refused. */
  copy?: (text: string) => Promise<boolean>;
}) {
  const [feed, setFeed] = useState<Feed>({ kind: 'loading' });
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const urlInput = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void send('calendarFeed.status', {}).then((r) => {
      if (r.ok)
        setFeed(
          r.data.calendarFeed ? { kind: 'on', createdAt: r.data.calendarFeed.createdAt, url: null } : { kind: 'off' },
        );
      else
        setFeed({
          kind: 'unavailable',
          message:
            r.error.kind === 'signed_out'
              ? 'Sign in from the Caseload toolbar button to set up a calendar feed.'
              : r.error.message,
        });
    });
  }, [send]);

  useEffect(() => {
    if (feed.kind === 'on' && feed.url) {
      urlInput.current?.focus();
      urlInput.current?.select();
    }
  }, [feed]);

  // The button clicked is replaced by the question: the keyboard goes to its answer.
  useEffect(() => {
    if (pending) confirmButton.current?.focus();
  }, [pending]);

  async function create() {
    setPending(null);
    setError('');
    setStatus('');
    setBusy(true);
    const reply = await send('calendarFeed.create', {});
    setBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    setFeed({ kind: 'on', createdAt: null, url: reply.data.url });
  }

  async function turnOff() {
    setPending(null);
    setError('');
    setStatus('');
    setBusy(true);
    const reply = await send('calendarFeed.turnOff', {});
    setBusy(false);
    if (!reply.ok) return setError(reply.error.message);
    setFeed({ kind: 'off' });
    setStatus('The calendar feed is off. Its address no longer works.');
  }

  async function copyUrl(url: string) {
    if (await copy(url)) return setStatus('Copied. Paste it into your calendar app as a subscription.');
    urlInput.current?.select();
    setStatus('Your browser did not allow copying: the address is selected, press Ctrl+C (⌘C on a Mac).');
  }

  return (
    <section class="view" aria-labelledby="feed-title" aria-busy={feed.kind === 'loading' || undefined}>
      <h2 id="feed-title">Calendar feed</h2>
      <p class="hint">
        See your sessions in Google Calendar, Apple Calendar or Outlook through a private address. {FEED_EXPLAINED}
      </p>

      {feed.kind === 'loading' && <p class="hint">Loading…</p>}
      {feed.kind === 'unavailable' && <p class="warning">{feed.message}</p>}

      {feed.kind === 'on' && feed.url && (
        <div class="field">
          <label for="feed-url">Your calendar address</label>
          <div class="row">
            <input
              ref={urlInput}
              id="feed-url"
              type="text"
              readOnly
              spellcheck={false}
              value={feed.url}
              aria-describedby="feed-url-hint"
            />
            <button type="button" onClick={() => void copyUrl(feed.url!)}>
              Copy
            </button>
          </div>
          <p id="feed-url-hint" class="hint">
            Shown only this once: copy it now and add it to your calendar as a subscription (“From URL”, “New calendar
            subscription”). Anyone who has it can see your session times and initials; if it gets out, create a new one.
          </p>
        </div>
      )}
      {feed.kind === 'on' && !feed.url && (
        <p>
          The calendar feed is on{feed.createdAt ? ` (its address was made ${madeOn(feed.createdAt)})` : ''}. The
          address is not shown again: if you need it, create a new one.
        </p>
      )}

      {pending ? (
        <div
          class="view"
          role="alertdialog"
          aria-labelledby="feed-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setPending(null);
          }}
        >
          <p id="feed-confirm" class="warning">
            {CONFIRM_TEXT[pending].question}
          </p>
          <div class="actions">
            <button
              ref={confirmButton}
              type="button"
              class="primary"
              disabled={busy}
              onClick={() => void (pending === 'replace' ? create() : turnOff())}
            >
              {CONFIRM_TEXT[pending].yes}
            </button>
            <button type="button" disabled={busy} onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          {feed.kind === 'off' && (
            <button
              type="button"
              class="primary"
              disabled={busy}
              aria-busy={busy || undefined}
              onClick={() => void create()}
            >
              Create calendar address
            </button>
          )}
          {feed.kind === 'on' && (
            <>
              <button type="button" disabled={busy} aria-busy={busy || undefined} onClick={() => setPending('replace')}>
                Create a new address
              </button>
              <button type="button" disabled={busy} onClick={() => setPending('turnOff')}>
                Turn off
              </button>
            </>
          )}
        </div>
      )}

      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <p class="notice" role="status" aria-live="polite">
        {status}
      </p>
    </section>
  );
}
