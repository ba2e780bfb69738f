// Options: the fee schedule — a fee in dollars for each CPT code the provider bills (the API keeps
// cents). A blank fee means the code has none: confirming a session with it asks for one first.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Send } from '../messages';
import { dollarsField, toCents } from '../claims/money';
import { useHashFocus } from '../options/hash-focus';
import { ErrorSummary, type SummaryItem } from './ErrorSummary';

export const FEES_ID = 'fees';

const feeId = (code: string) => `fee-${code}`;

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; codes: { code: string; description: string }[] };

export function FeesSection({ send }: { send: Send }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<SummaryItem[] | null>(null);
  const [failure, setFailure] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useHashFocus(FEES_ID, load.kind !== 'loading', heading);

  const show = (items: { cptCode: string; amountCents: number }[]) =>
    setValues(Object.fromEntries(items.map((i) => [i.cptCode, dollarsField(i.amountCents)])));

  useEffect(() => {
    void send('billing.fees', {}).then((r) => {
      if (!r.ok) return setLoad({ kind: 'failed', message: r.error.message });
      setLoad({ kind: 'ready', codes: r.data.codes });
      show(r.data.items);
    });
  }, [send]);

  function fail(next: Record<string, string>, codes: { code: string; description: string }[]) {
    setErrors(next);
    setSummary(
      codes.filter((c) => next[c.code]).map((c) => ({ fieldId: feeId(c.code), message: `${c.code}: ${next[c.code]}` })),
    );
  }

  async function save(codes: { code: string; description: string }[]) {
    setStatus('');
    setFailure('');
    const items: { cptCode: string; amountCents: number }[] = [];
    const bad: Record<string, string> = {};
    for (const { code } of codes) {
      const text = values[code]?.trim() ?? '';
      if (!text) continue;
      const cents = toCents(text);
      if (cents === null) bad[code] = 'Enter an amount in dollars, e.g. 150 or 150.00';
      else items.push({ cptCode: code, amountCents: cents });
    }
    if (Object.keys(bad).length) return fail(bad, codes);
    setBusy(true);
    const reply = await send('billing.saveFees', { input: { items } });
    setBusy(false);
    if (reply.ok) {
      setErrors({});
      setSummary(null);
      show(reply.data.items);
      setStatus(`Saved. ${reply.data.items.length} of ${codes.length} codes have a fee.`);
      return;
    }
    const issues = reply.error.kind === 'api' ? (reply.error.issues ?? []) : [];
    // `items.3.amountCents`: the fourth fee sent.
    const next: Record<string, string> = {};
    for (const issue of issues) {
      const code = items[Number(/^items\.(\d+)/.exec(issue.path)?.[1] ?? -1)]?.cptCode;
      if (code) next[code] ??= issue.message.replace(/10,000,000 cents \(\$100,000\)/, '$100,000');
    }
    if (Object.keys(next).length) return fail(next, codes);
    setFailure(`${reply.error.message} Nothing was saved; what you typed is kept.`);
  }

  return (
    <section id={FEES_ID} class="view" aria-labelledby="fees-title" aria-busy={load.kind === 'loading' || undefined}>
      <h2 id="fees-title" ref={heading} tabIndex={-1}>
        Fees
      </h2>
      <p class="hint">
        What you charge for each code, in dollars. A claim line’s charge is the fee times its units. Leave a code blank
        if you never bill it.
      </p>
      {load.kind === 'loading' && <p class="hint">Loading…</p>}
      {load.kind === 'failed' && <p class="warning">{load.message}</p>}
      {load.kind === 'ready' && (
        <form
          class="view"
          aria-labelledby="fees-title"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(load.codes);
          }}
        >
          {summary && <ErrorSummary id="fees-summary" title="The fees were not saved. Check:" items={summary} />}
          <ul class="fees">
            {load.codes.map(({ code, description }) => (
              <li key={code} class="field">
                <label for={feeId(code)}>
                  {code} <span class="sub">{description}</span>
                </label>
                <div class="money">
                  <span aria-hidden="true">$</span>
                  <input
                    id={feeId(code)}
                    type="text"
                    inputMode="decimal"
                    autocomplete="off"
                    value={values[code] ?? ''}
                    aria-invalid={errors[code] ? true : undefined}
                    aria-describedby={errors[code] ? `${feeId(code)}-error` : undefined}
                    onInput={(e) => {
                      const value = e.currentTarget.value;
                      setValues((v) => ({ ...v, [code]: value }));
                    }}
                  />
                </div>
                {errors[code] && (
                  <p id={`${feeId(code)}-error`} class="field-error">
                    {errors[code]}
                  </p>
                )}
              </li>
            ))}
          </ul>
          {failure && (
            <p class="field-error" role="alert">
              {failure}
            </p>
          )}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy} aria-busy={busy || undefined}>
              Save fees
            </button>
          </div>
          <p class="notice" role="status" aria-live="polite">
            {status}
          </p>
        </form>
      )}
    </section>
  );
}
