// Options: the billing profile every claim needs (API.md "The provider's billing profile and fees").
// Every field may be left blank (a claim lists it as missing); what is given must be valid, and each
// problem is shown beside its field with a summary that takes focus. The tax id is never shown: the
// API answers only its type and last 4; a blank number keeps the one on file.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { BillingProfile, BillingProfileInput } from '../api';
import type { Send } from '../messages';
import { useHashFocus } from '../options/hash-focus';
import { ErrorSummary, type SummaryItem } from './ErrorSummary';
import { PageField as Field } from './PageField';

export const BILLING_PROFILE_ID = 'billing-profile';

type Values = Record<string, string>;

const ADDRESS = ['line1', 'line2', 'city', 'state', 'postalCode'] as const;
const EDI = ['submitterId', 'submitterName', 'receiverId', 'receiverName', 'usage'] as const;

/** Each field's label, by its API path (the form's order). */
export const PROFILE_LABELS: Record<string, string> = {
  entity: 'You bill as',
  billingName: 'Legal billing name',
  groupNpi: 'Group NPI',
  'taxId.type': 'Tax ID type',
  'taxId.value': 'Tax ID number',
  taxonomyCode: 'Taxonomy code',
  'address.line1': 'Street address',
  'address.line2': 'Suite, floor (optional)',
  'address.city': 'City',
  'address.state': 'State',
  'address.postalCode': 'ZIP+4',
  phone: 'Phone',
  'serviceAddress.line1': 'Office street address',
  'serviceAddress.line2': 'Office suite, floor (optional)',
  'serviceAddress.city': 'Office city',
  'serviceAddress.state': 'Office state',
  'serviceAddress.postalCode': 'Office ZIP+4',
  'edi.submitterId': 'Submitter ID',
  'edi.submitterName': 'Submitter name',
  'edi.receiverId': 'Receiver ID',
  'edi.receiverName': 'Receiver name',
  'edi.usage': 'Files are for',
};

const fieldId = (path: string) => `bp-${path.replace(/\./g, '-')}`;

/** The field an API issue belongs to: its own path, else the first field under it (`taxId` → its type). */
export function fieldOf(path: string): string | null {
  if (path in PROFILE_LABELS) return path;
  return Object.keys(PROFILE_LABELS).find((p) => p.startsWith(`${path}.`)) ?? null;
}

/** `missing` paths in words: `address.postalCode` → "ZIP+4". */
export const missingLabel = (path: string) =>
  path === 'taxId' ? 'Tax ID' : (PROFILE_LABELS[path] ?? path).replace(' (optional)', '');

function toValues(p: BillingProfile): Values {
  const v: Values = {
    entity: p.entity ?? '',
    billingName: p.billingName ?? '',
    groupNpi: p.groupNpi ?? '',
    'taxId.type': p.taxId?.type ?? (p.entity === 'organization' ? 'EIN' : ''),
    'taxId.value': '',
    taxonomyCode: p.taxonomyCode ?? '',
    phone: p.phone ?? '',
  };
  for (const k of ADDRESS) {
    v[`address.${k}`] = p.address[k] ?? '';
    v[`serviceAddress.${k}`] = p.serviceAddress?.[k] ?? '';
  }
  for (const k of EDI) v[`edi.${k}`] = p.edi[k] ?? '';
  return v;
}

/** The PUT body: blank fields left out (saved as not yet given); a blank tax id number keeps the stored one. */
export function toInput(v: Values, separateOffice: boolean, onFile: BillingProfile['taxId']): BillingProfileInput {
  const given = (path: string) => v[path]?.trim() || undefined;
  const address = (prefix: string) => {
    const parts = Object.fromEntries(ADDRESS.map((k) => [k, given(`${prefix}.${k}`)]).filter(([, x]) => x));
    return Object.keys(parts).length ? parts : undefined;
  };
  const type = given('taxId.type') as 'EIN' | 'SSN' | undefined;
  const value = given('taxId.value');
  // Without a number, the type alone keeps the number on file (the API refuses another type without one).
  const taxId = type && (value || onFile) ? { type, ...(value ? { value } : {}) } : undefined;
  const edi = Object.fromEntries(EDI.map((k) => [k, given(`edi.${k}`)]).filter(([, x]) => x));
  const entity = given('entity') as 'person' | 'organization' | undefined;
  return {
    billingName: given('billingName'),
    entity,
    taxId,
    taxonomyCode: given('taxonomyCode'),
    groupNpi: entity === 'organization' ? given('groupNpi') : undefined,
    address: address('address'),
    phone: given('phone'),
    serviceAddress: separateOffice ? address('serviceAddress') : undefined,
    edi: Object.keys(edi).length ? (edi as BillingProfileInput['edi']) : undefined,
  };
}

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; profile: BillingProfile; npi: string };

export function BillingProfileSection({ send }: { send: Send }) {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [values, setValues] = useState<Values>({});
  const [office, setOffice] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState<SummaryItem[] | null>(null);
  const [failure, setFailure] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useHashFocus(BILLING_PROFILE_ID, load.kind !== 'loading', heading);

  useEffect(() => {
    void send('billing.profile', {}).then((r) => {
      if (!r.ok) return setLoad({ kind: 'failed', message: r.error.message });
      setLoad({ kind: 'ready', ...r.data });
      setValues(toValues(r.data.profile));
      setOffice(r.data.profile.serviceAddress !== null);
    });
  }, [send]);

  if (load.kind !== 'ready') {
    return (
      <section
        id={BILLING_PROFILE_ID}
        class="view"
        aria-labelledby="bp-title"
        aria-busy={load.kind === 'loading' || undefined}
      >
        <h2 id="bp-title" ref={heading} tabIndex={-1}>
          Billing profile
        </h2>
        {load.kind === 'loading' ? <p class="hint">Loading…</p> : <p class="warning">{load.message}</p>}
      </section>
    );
  }
  const { profile, npi } = load;
  const org = values.entity === 'organization';

  async function save() {
    setStatus('');
    setFailure('');
    setBusy(true);
    const reply = await send('billing.saveProfile', { input: toInput(values, office, profile.taxId) });
    setBusy(false);
    if (reply.ok) {
      setErrors({});
      setSummary(null);
      setLoad({ kind: 'ready', profile: reply.data, npi });
      setValues(toValues(reply.data));
      setStatus(
        reply.data.missing.length
          ? 'Saved. Claims still need the fields listed above.'
          : 'Saved. Your billing profile is complete.',
      );
      return;
    }
    const issues = reply.error.kind === 'api' ? (reply.error.issues ?? []) : [];
    if (issues.length === 0) {
      setFailure(`${reply.error.message} Nothing was saved; what you typed is kept.`);
      return;
    }
    const next: Record<string, string> = {};
    const items: SummaryItem[] = [];
    for (const issue of issues) {
      const field = fieldOf(issue.path);
      if (field) next[field] ??= issue.message;
      items.push({
        fieldId: field ? fieldId(field) : null,
        message: field ? `${PROFILE_LABELS[field]}: ${issue.message}` : issue.message,
      });
    }
    setErrors(next);
    setSummary(items);
  }

  const set = (path: string) => (value: string) => setValues((v) => ({ ...v, [path]: value }));
  const text = (path: string, extra: { hint?: string; autocomplete?: string; inputMode?: string } = {}) => (
    <Field
      id={fieldId(path)}
      label={PROFILE_LABELS[path]!}
      value={values[path] ?? ''}
      error={errors[path]}
      hint={extra.hint}
      autocomplete={extra.autocomplete ?? 'off'}
      inputMode={extra.inputMode as 'text' | 'numeric' | 'tel' | undefined}
      spellcheck={false}
      onValue={set(path)}
    />
  );
  const select = (path: string, options: [string, string][], hint?: string) => {
    const id = fieldId(path);
    const described = [hint ? `${id}-hint` : '', errors[path] ? `${id}-error` : ''].filter(Boolean).join(' ');
    return (
      <div class="field">
        <label for={id}>{PROFILE_LABELS[path]}</label>
        <select
          id={id}
          value={values[path] ?? ''}
          aria-invalid={errors[path] ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => set(path)(e.currentTarget.value)}
        >
          <option value="">Not given yet</option>
          {options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {hint && (
          <p id={`${id}-hint`} class="hint">
            {hint}
          </p>
        )}
        {errors[path] && (
          <p id={`${id}-error`} class="field-error">
            {errors[path]}
          </p>
        )}
      </div>
    );
  };
  const address = (prefix: 'address' | 'serviceAddress') => (
    <>
      {text(`${prefix}.line1`, { autocomplete: 'off', hint: 'A street address: claims cannot use a PO box.' })}
      {text(`${prefix}.line2`)}
      <div class="row">
        {text(`${prefix}.city`)}
        {text(`${prefix}.state`, { hint: 'Two letters, e.g. NY' })}
        {text(`${prefix}.postalCode`, { hint: 'All nine digits, e.g. 10024-3512', inputMode: 'numeric' })}
      </div>
    </>
  );
  const onFile = profile.taxId;

  return (
    <section id={BILLING_PROFILE_ID} class="view" aria-labelledby="bp-title">
      <h2 id="bp-title" ref={heading} tabIndex={-1}>
        Billing profile
      </h2>
      <p class="hint">What every claim says about you as the billing provider. Blank fields can be filled in later.</p>
      {profile.missing.length > 0 ? (
        <div class="warning" id="bp-missing">
          <p>Before Caseload can make claims, it still needs:</p>
          <ul>
            {profile.missing.map((path) => (
              <li key={path}>{missingLabel(path)}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="notice">Complete: your claims have everything they need from you.</p>
      )}
      <form
        class="view"
        aria-labelledby="bp-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {summary && <ErrorSummary id="bp-summary" title="The billing profile was not saved. Check:" items={summary} />}
        <fieldset>
          <legend>Who bills</legend>
          {select('entity', [
            ['person', 'An individual (sole proprietor)'],
            ['organization', 'An organization (group practice)'],
          ])}
          {text('billingName', { hint: 'The legal name on the tax ID. A person: “Last, First”.' })}
          <div class="field">
            <label for="bp-npi">Your NPI</label>
            <input id="bp-npi" type="text" readOnly value={npi} aria-describedby="bp-npi-hint" />
            <p id="bp-npi-hint" class="hint">
              The rendering provider on every claim; Caseload staff set it with your account.
            </p>
          </div>
          {org && text('groupNpi', { hint: 'The organization’s own 10-digit NPI.', inputMode: 'numeric' })}
          <div class="row">
            {select(
              'taxId.type',
              org
                ? [['EIN', 'EIN']]
                : [
                    ['EIN', 'EIN'],
                    ['SSN', 'SSN'],
                  ],
            )}
            <Field
              id={fieldId('taxId.value')}
              label={PROFILE_LABELS['taxId.value']!}
              value={values['taxId.value'] ?? ''}
              error={errors['taxId.value']}
              hint={
                onFile
                  ? `On file: ${onFile.type} ending in ${onFile.last4}. Leave blank to keep it.`
                  : 'EIN 12-3456789, or SSN 123-45-6789. Stored encrypted; never shown again.'
              }
              autocomplete="off"
              spellcheck={false}
              inputMode="numeric"
              onValue={set('taxId.value')}
            />
          </div>
          {text('taxonomyCode', { hint: 'Your NUCC taxonomy code, e.g. 101YP2500X (counselor).' })}
        </fieldset>
        <fieldset>
          <legend>Billing address</legend>
          {address('address')}
          {text('phone', { autocomplete: 'off', inputMode: 'tel' })}
        </fieldset>
        <fieldset>
          <legend>Where office sessions happen</legend>
          <label class="check">
            <input type="checkbox" checked={office} onChange={(e) => setOffice(e.currentTarget.checked)} />
            My office is not at the billing address
          </label>
          {office && address('serviceAddress')}
        </fieldset>
        <fieldset>
          <legend>Clearinghouse (EDI)</legend>
          <p class="hint">The ids your clearinghouse gave you for 837P files.</p>
          <div class="row">
            {text('edi.submitterId')}
            {text('edi.submitterName')}
          </div>
          <div class="row">
            {text('edi.receiverId')}
            {text('edi.receiverName')}
          </div>
          {select(
            'edi.usage',
            [
              ['test', 'Testing with the clearinghouse'],
              ['production', 'Real claims (production)'],
            ],
            'Use testing until your clearinghouse says your files pass.',
          )}
        </fieldset>
        {failure && (
          <p class="field-error" role="alert">
            {failure}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy} aria-busy={busy || undefined}>
            Save billing profile
          </button>
        </div>
        <p class="notice" role="status" aria-live="polite">
          {status}
        </p>
      </form>
    </section>
  );
}
