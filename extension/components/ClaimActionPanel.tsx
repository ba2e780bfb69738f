// One claim's action, confirmed first: a status report (with what the API takes for it), a correction
// (replacement claim) or a void. The first field (or the confirm button) takes focus; Escape cancels.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClaimOut } from '../api';
import { REPORT_LABEL, type Report } from '../claims/claim-actions';
import { dollars, dollarsField, toCents } from '../claims/money';
import type { Reply, Send } from '../messages';
import { PageField as Field } from './PageField';

export type Action = Report | 'correct' | 'void';

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);

const QUESTION: Record<Report, string> = {
  submitted: 'Record that you uploaded this claim to your clearinghouse?',
  accepted: 'Record that the payer accepted this claim?',
  rejected: 'Record that the clearinghouse or payer rejected this claim? You can then correct or void it.',
  paid: 'Record that the payer paid this claim?',
  denied: 'Record that the payer denied this claim?',
};

export function ClaimActionPanel({
  claim,
  action,
  send,
  onDone,
  onCancel,
}: {
  claim: ClaimOut;
  action: Action;
  send: Send;
  /** The action succeeded; `message` says what changed. */
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(() => ({
    payerClaimNumber: claim.payerClaimNumber ?? '',
    paid: dollarsField(claim.totalCents),
    note: '',
    cptCode: claim.cptCode,
    addOnCodes: claim.lines
      .slice(1)
      .map((l) => l.cptCode)
      .join(', '),
    diagnosisCodes: claim.diagnosisCodes.join(', '),
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [codes, setCodes] = useState<{ code: string; description: string }[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const id = `act-${claim.id}`;

  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input, select, button.primary')?.focus();
  }, []);

  // A correction picks its CPT code from the primary codes a provider bills (the popup's list).
  useEffect(() => {
    if (action !== 'correct') return;
    void send('codes.cpt', {}).then((r) => {
      if (r.ok) setCodes(r.data);
    });
  }, [action, send]);

  const set = (k: string) => (v: string) => setValues((s) => ({ ...s, [k]: v }));
  const field = (k: string, label: string, hint?: string) => (
    <Field id={`${id}-${k}`} label={label} value={values[k] ?? ''} error={errors[k]} hint={hint} onValue={set(k)} />
  );

  async function run() {
    setFailure('');
    setErrors({});
    let reply: Reply<'claims.status'>;
    let done: string;
    if (action === 'void') {
      setBusy(true);
      reply = await send('claims.void', { id: claim.id });
      done =
        claim.status === 'ready'
          ? `Claim ${claim.claimNumber} is voided; it was never sent.`
          : `Claim ${claim.claimNumber} is voided. Its void claim is ready for your next 837P file.`;
    } else if (action === 'correct') {
      setBusy(true);
      reply = await send('claims.replace', {
        id: claim.id,
        input: {
          cptCode: values.cptCode?.trim() ?? '',
          addOnCodes: list(values.addOnCodes ?? ''),
          diagnosisCodes: list(values.diagnosisCodes ?? ''),
        },
      });
      done = `Claim ${claim.claimNumber} is replaced. The corrected claim is ready for your next 837P file.`;
    } else {
      const input: { status: Report; payerClaimNumber?: string; paidCents?: number; note?: string } = {
        status: action,
      };
      const number = values.payerClaimNumber?.trim();
      if (action === 'accepted' && number && number !== claim.payerClaimNumber) input.payerClaimNumber = number;
      if (action === 'paid') {
        const cents = toCents(values.paid ?? '');
        if (cents === null) {
          setErrors({ paid: 'Enter the amount paid in dollars, e.g. 120.00' });
          box.current?.querySelector<HTMLElement>(`#${id}-paid`)?.focus();
          return;
        }
        input.paidCents = cents;
      }
      const note = values.note?.trim();
      if ((action === 'rejected' || action === 'denied') && note) input.note = note;
      setBusy(true);
      reply = await send('claims.status', { id: claim.id, input });
      done = `Claim ${claim.claimNumber} is recorded as ${action}${action === 'paid' && input.paidCents !== undefined ? ` (${dollars(input.paidCents)})` : ''}.`;
    }
    setBusy(false);
    if (reply.ok) return onDone(done);
    const issues = reply.error.kind === 'api' ? (reply.error.issues ?? []) : [];
    const next: Record<string, string> = {};
    for (const issue of issues) {
      const key = issue.path === 'paidCents' ? 'paid' : issue.path.split('.')[0]!;
      next[key] ??= issue.message;
    }
    setErrors(next);
    setFailure(issues.length ? 'Check the highlighted fields.' : reply.error.message);
    setTimeout(() => box.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
  }

  const title =
    action === 'void'
      ? claim.status === 'ready'
        ? 'Void this claim? It was never sent, so it is simply withdrawn.'
        : 'Void this claim? A void claim goes in your next 837P file to cancel it with the payer.'
      : action === 'correct'
        ? 'Correct this claim? A replacement claim with these codes goes in your next 837P file; this one becomes replaced.'
        : QUESTION[action];
  const yes = action === 'void' ? 'Yes, void it' : action === 'correct' ? 'Make the replacement' : REPORT_LABEL[action];

  return (
    <div
      ref={box}
      class="view action-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <p id={`${id}-q`} class="warning">
        {title}
      </p>
      <form
        class="view"
        noValidate
        aria-labelledby={`${id}-q`}
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        {action === 'accepted' &&
          field('payerClaimNumber', 'Payer’s claim number (optional)', 'As the payer’s answer shows it.')}
        {action === 'paid' &&
          field(
            'paid',
            'Amount paid ($)',
            `The claim’s total is ${dollars(claim.totalCents)}; change it if the payer paid less.`,
          )}
        {(action === 'rejected' || action === 'denied') && field('note', 'Reason (optional)')}
        {action === 'correct' && (
          <>
            {codes.length > 0 ? (
              <div class="field">
                <label for={`${id}-cptCode`}>CPT code</label>
                <select
                  id={`${id}-cptCode`}
                  value={values.cptCode}
                  aria-invalid={errors.cptCode ? true : undefined}
                  aria-describedby={errors.cptCode ? `${id}-cptCode-error` : undefined}
                  onChange={(e) => set('cptCode')(e.currentTarget.value)}
                >
                  {codes.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.code} — {c.description}
                    </option>
                  ))}
                </select>
                {errors.cptCode && (
                  <p id={`${id}-cptCode-error`} class="field-error">
                    {errors.cptCode}
                  </p>
                )}
              </div>
            ) : (
              field('cptCode', 'CPT code')
            )}
            {field('addOnCodes', 'Add-on codes (optional)', 'Separated by commas, e.g. 90785')}
            {field('diagnosisCodes', 'ICD-10-CM codes', 'Separated by commas, the primary first, e.g. F41.1, F32.1')}
          </>
        )}
        {failure && (
          <p class="field-error" role="alert">
            {failure}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy || undefined}>
            {yes}
          </button>
          <button type="button" disabled={busy} onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
