// The Claims page (a full tab): the claims ready to send and "Download 837P" (one export of every ready
// claim, saved from the page as a file: no downloads permission), past exports to download again, and
// per claim what the payer answered, a correction or a void — each confirmed first.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClaimOut } from '../api';
import {
  canCorrect,
  canVoid,
  codesOf,
  FREQUENCY_NOTE,
  patientName,
  REPORT_LABEL,
  reportsFor,
  STATUS_LABEL,
} from '../claims/claim-actions';
import { saveFile } from '../claims/save-file';
import { watchSignIn } from '../claims/watch-sign-in';
import { dollars } from '../claims/money';
import { MAX_CLAIMS_PER_EXPORT } from '../../shared/billing/export';
import type { ExportFile, MessageResults, Send } from '../messages';
import { type Action, ClaimActionPanel } from './ClaimActionPanel';

type Data = MessageResults['claims.list'];
type Load = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; data: Data };

/** "2026-12-01" → "Dec 1, 2026" (a date of service has no zone). */
const serviceDay = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { dateStyle: 'medium', timeZone: 'UTC' });
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function ClaimsPage({
  send,
  save = saveFile,
  newKey = () => crypto.randomUUID(),
  watch = watchSignIn,
}: {
  send: Send;
  /** Saves a file from the page (tests capture it). */
  save?: (file: ExportFile) => void;
  newKey?: () => string;
  /** Calls back when the sign-in changes; returns the unsubscribe. */
  watch?: (onChange: () => void) => () => void;
}) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [open, setOpen] = useState<{ id: string; action: Action } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  /** The settings section an export refused for provider_billing_incomplete needs. */
  const [fix, setFix] = useState<'billing-profile' | 'fees' | null>(null);
  const [status, setStatus] = useState('');
  /** Where the keyboard goes once the list has re-rendered (an element id). */
  const [focusNext, setFocusNext] = useState<string | null>(null);
  // One key per attempt at an export: a retried click after a dropped answer is the same export.
  const exportKey = useRef<string | null>(null);

  /** Older claims shown with "Show older claims" (kept across refreshes), and the cursor past them. */
  const [older, setOlder] = useState<{ claims: ClaimOut[]; cursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState('');

  /** `touched`: a claim just changed, read again if it is among the older ones. */
  async function refresh(touched?: string) {
    const r = await send('claims.list', {});
    if (!r.ok) return setLoad({ kind: 'failed', message: r.error.message });
    const kept = older?.claims.filter((c) => !r.data.claims.some((n) => n.id === c.id)) ?? [];
    if (touched && kept.some((c) => c.id === touched)) {
      const got = await send('claims.get', { id: touched });
      if (got.ok)
        kept.splice(
          kept.findIndex((c) => c.id === touched),
          1,
          got.data,
        );
    }
    if (older) setOlder({ claims: kept, cursor: older.cursor });
    setLoad({ kind: 'ready', data: r.data });
  }

  async function showOlder(cursor: string) {
    setMoreError('');
    setBusy(true);
    const r = await send('claims.more', { cursor });
    setBusy(false);
    if (!r.ok) return setMoreError(r.error.message);
    const first = r.data.claims[0];
    setOlder((o) => ({ claims: [...(o?.claims ?? []), ...r.data.claims], cursor: r.data.nextCursor }));
    setStatus(
      r.data.claims.length === 0
        ? 'No older claims.'
        : `${r.data.claims.length} older claim${r.data.claims.length === 1 ? '' : 's'} shown.`,
    );
    if (first) setFocusNext(`claim-${first.id}`);
  }

  useEffect(() => {
    void refresh();
  }, [send]);

  // Signed out: the list (patients' names) goes; signed in again: it comes back.
  useEffect(
    () =>
      watch(() => {
        setOpen(null);
        setStatus('');
        // Older pages go too: they may be another provider's after the next sign-in.
        setOlder(null);
        void refresh();
      }),
    [watch, send],
  );

  useEffect(() => {
    if (!focusNext) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext, load]);

  async function download() {
    setError('');
    setFix(null);
    setStatus('');
    setBusy(true);
    exportKey.current ??= newKey();
    const r = await send('claims.export', { idempotencyKey: exportKey.current });
    setBusy(false);
    if (!r.ok) {
      if (!(r.error.kind === 'unreachable')) exportKey.current = null;
      setError(r.error.message);
      if (r.error.kind === 'api' && r.error.code === 'provider_billing_incomplete')
        setFix(r.error.missing?.some((p) => p.startsWith('billingProfile.')) ? 'billing-profile' : 'fees');
      return;
    }
    exportKey.current = null;
    save(r.data.file);
    await refresh();
    setStatus(
      `Saved ${r.data.file.filename}: ${r.data.export.claimCount} claim${r.data.export.claimCount === 1 ? '' : 's'}, ${dollars(r.data.export.totalCents)}. Upload it to your clearinghouse, then record each claim as submitted.`,
    );
    setFocusNext('claims-status');
  }

  async function downloadAgain(id: string) {
    setError('');
    setStatus('');
    const r = await send('claims.exportFile', { id });
    if (!r.ok) return setError(r.error.message);
    save(r.data);
    setStatus(`Saved ${r.data.filename} again.`);
  }

  if (load.kind !== 'ready') {
    return (
      <main class="app claims" aria-busy={load.kind === 'loading' || undefined}>
        <h1>Claims</h1>
        {load.kind === 'loading' ? (
          <p class="hint">Loading…</p>
        ) : (
          <p class="warning" role="alert">
            {load.message}
          </p>
        )}
      </main>
    );
  }
  const { ready, moreReady, exports } = load.data;
  const claims = [...load.data.claims, ...(older?.claims ?? [])];
  const nextCursor = older ? older.cursor : load.data.nextCursor;
  const readyTotal = ready.reduce((sum, c) => sum + c.totalCents, 0);

  return (
    <main class="app claims">
      <h1>
        Claims
        <span class="sub">
          Caseload writes the 837P file; you upload it to your clearinghouse and record here what comes back.
        </span>
      </h1>

      <section class="view" aria-labelledby="ready-title">
        <h2 id="ready-title">Ready to send</h2>
        {ready.length === 0 ? (
          <p class="hint">No claims are waiting. Confirming a session in the popup makes its claim.</p>
        ) : (
          <p>
            {ready.length} claim{ready.length === 1 ? '' : 's'} ready, {dollars(readyTotal)} in all.
          </p>
        )}
        {moreReady && (
          <p class="hint">
            More claims are ready than one file holds: a download takes the oldest{' '}
            {MAX_CLAIMS_PER_EXPORT.toLocaleString('en-US')}; download again for the rest.
          </p>
        )}
        <div class="actions">
          <button
            type="button"
            class="primary"
            disabled={busy || ready.length === 0}
            aria-busy={busy || undefined}
            onClick={() => void download()}
          >
            Download 837P
          </button>
        </div>
        {error && (
          <p class="field-error" role="alert">
            {error}
            {fix && (
              <>
                {' '}
                <a href={`/options.html#${fix}`}>Open settings</a>
              </>
            )}
          </p>
        )}
        <p id="claims-status" class="notice" role="status" aria-live="polite" tabIndex={-1}>
          {status}
        </p>
      </section>

      <section class="view" aria-labelledby="all-title">
        <h2 id="all-title">Your claims</h2>
        {claims.length === 0 && <p class="hint">No claims yet.</p>}
        <ul class="claim-list">
          {claims.map((c) => (
            <ClaimItem
              key={c.id}
              claim={c}
              open={open?.id === c.id ? open.action : null}
              onOpen={(action) => {
                setStatus('');
                setOpen({ id: c.id, action });
              }}
              onCancel={() => {
                setOpen(null);
                setFocusNext(`claim-${c.id}`);
              }}
              onDone={async (message) => {
                setOpen(null);
                await refresh(c.id);
                setStatus(message);
                setFocusNext(`claim-${c.id}`);
              }}
              send={send}
            />
          ))}
        </ul>
        {nextCursor && (
          <div class="actions">
            <button type="button" disabled={busy} onClick={() => void showOlder(nextCursor)}>
              Show older claims
            </button>
          </div>
        )}
        {moreError && (
          <p class="field-error" role="alert">
            {moreError}
          </p>
        )}
      </section>

      <section class="view" aria-labelledby="exports-title">
        <h2 id="exports-title">Past 837P files</h2>
        {exports.length === 0 ? (
          <p class="hint">None yet.</p>
        ) : (
          <table class="exports">
            <thead>
              <tr>
                <th scope="col">Made</th>
                <th scope="col">Interchange</th>
                <th scope="col">Claims</th>
                <th scope="col">Total</th>
                <th scope="col">
                  <span class="visually-hidden">File</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {exports.map((x) => (
                <tr key={x.id}>
                  <td>{when(x.createdAt)}</td>
                  <td>{x.interchangeControlNumber}</td>
                  <td>{x.claimCount}</td>
                  <td>{dollars(x.totalCents)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={`Download again: interchange ${x.interchangeControlNumber}`}
                      onClick={() => void downloadAgain(x.id)}
                    >
                      Download again
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

function ClaimItem({
  claim: c,
  open,
  onOpen,
  onCancel,
  onDone,
  send,
}: {
  claim: ClaimOut;
  open: Action | null;
  onOpen: (action: Action) => void;
  onCancel: () => void;
  onDone: (message: string) => void;
  send: Send;
}) {
  const name = patientName(c);
  const actions: [Action, string][] = [
    ...reportsFor(c).map((r): [Action, string] => [r, REPORT_LABEL[r]]),
    ...(canCorrect(c) ? [['correct', 'Correct'] as [Action, string]] : []),
    ...(canVoid(c) ? [['void', 'Void'] as [Action, string]] : []),
  ];
  const titleId = `claim-${c.id}`;
  return (
    <li class="claim" aria-labelledby={titleId}>
      <h3 id={titleId} tabIndex={-1}>
        {name} · {serviceDay(c.serviceDate)}
      </h3>
      <dl>
        <dt>Status</dt>
        <dd>
          <span class={`status status-${c.status}`}>{STATUS_LABEL[c.status]}</span>
          {FREQUENCY_NOTE[c.frequency] && ` (${FREQUENCY_NOTE[c.frequency]})`}
          {c.status === 'paid' && c.paidCents !== null && ` ${dollars(c.paidCents)}`}
        </dd>
        <dt>Codes</dt>
        <dd>{codesOf(c)}</dd>
        <dt>Total</dt>
        <dd>{dollars(c.totalCents)}</dd>
        <dt>Payer</dt>
        <dd>{c.payer.name}</dd>
        <dt>Claim</dt>
        <dd>
          {c.claimNumber}
          {c.payerClaimNumber && ` · payer’s number ${c.payerClaimNumber}`}
        </dd>
      </dl>
      {c.status !== 'ready' && c.status !== 'exported' && <History claim={c} send={send} />}
      {open ? (
        <ClaimActionPanel claim={c} action={open} send={send} onDone={onDone} onCancel={onCancel} />
      ) : (
        actions.length > 0 && (
          <div class="actions">
            {actions.map(([action, label]) => (
              <button key={action} type="button" onClick={() => onOpen(action)}>
                {label}
              </button>
            ))}
          </div>
        )
      )}
    </li>
  );
}

type Reports = NonNullable<ClaimOut['reports']>;
type HistoryState =
  | { kind: 'closed' }
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'open'; reports: Reports };

/** What the payer answered, report by report with the biller's notes: fetched when first opened. */
function History({ claim: c, send }: { claim: ClaimOut; send: Send }) {
  const [state, setState] = useState<HistoryState>({ kind: 'closed' });
  const listId = `history-${c.id}`;
  const open = state.kind !== 'closed';

  async function toggle() {
    if (open) return setState({ kind: 'closed' });
    setState({ kind: 'loading' });
    const reply = await send('claims.get', { id: c.id });
    setState(
      reply.ok ? { kind: 'open', reports: reply.data.reports ?? [] } : { kind: 'failed', message: reply.error.message },
    );
  }

  return (
    <div class="history">
      <button
        type="button"
        class="link"
        aria-expanded={open}
        aria-controls={listId}
        aria-busy={state.kind === 'loading' || undefined}
        onClick={() => void toggle()}
      >
        {open ? 'Hide history' : 'History'}
      </button>
      <div id={listId} aria-live="polite">
        {state.kind === 'failed' && <p class="field-error">{state.message}</p>}
        {state.kind === 'open' &&
          (state.reports.length === 0 ? (
            <p class="hint">Nothing recorded from the payer yet.</p>
          ) : (
            <ol>
              {state.reports.map((r, i) => (
                <li key={`${r.at}-${i}`}>
                  {when(r.at)} · {STATUS_LABEL[r.status]}
                  {r.payerClaimNumber && ` · payer’s number ${r.payerClaimNumber}`}
                  {r.paidCents !== null && ` · ${dollars(r.paidCents)}`}
                  {r.note && ` · “${r.note}”`}
                </li>
              ))}
            </ol>
          ))}
      </div>
    </div>
  );
}
