// The client's account form: its fields (BillingInfo as dot paths), reading a posted form into the
// API's BillingInfo shape, and rendering it with each error beside its field and the values kept.
import { html } from 'hono/html';
import {
  BILLING_FIELD_LABELS,
  type BillingFields,
  missingBillingFields,
  US_STATES,
} from '../../shared/schemas/billing';
import { type Html, joined } from './layout';

/** A form field; its label is the shared one for its path (BILLING_FIELD_LABELS). */
interface Field {
  path: string;
  hint?: string;
  type: 'text' | 'date' | 'tel' | 'select';
  autocomplete?: string;
  inputmode?: string;
  optional?: boolean;
  /** The message when a required field is left blank. */
  missing?: string;
  options?: (payers: Payer[]) => [string, string][];
}

export interface Payer {
  id: string;
  name: string;
}

const SECTIONS: { legend: string; hint?: string; className?: string; fields: Field[] }[] = [
  {
    legend: 'About you',
    fields: [
      {
        path: 'legalFirstName',
        missing: 'Enter your legal first name',
        hint: 'As on your insurance card',
        type: 'text',
        autocomplete: 'given-name',
      },
      {
        path: 'legalLastName',
        missing: 'Enter your legal last name',
        hint: 'As on your insurance card',
        type: 'text',
        autocomplete: 'family-name',
      },
      {
        path: 'dateOfBirth',
        missing: 'Enter your date of birth',
        type: 'date',
        autocomplete: 'bday',
      },
      {
        path: 'sex',
        missing: 'Choose the sex shown on your insurance card',
        hint: 'As on your insurance card',
        type: 'select',
        options: () => [
          ['F', 'Female'],
          ['M', 'Male'],
          ['X', 'X (unspecified)'],
        ],
      },
      {
        path: 'phone',
        missing: 'Enter your phone number',
        hint: 'A US number, e.g. 212-555-0100',
        type: 'tel',
        autocomplete: 'tel-national',
      },
    ],
  },
  {
    legend: 'Home address',
    fields: [
      {
        path: 'address.line1',
        missing: 'Enter your street address',
        type: 'text',
        autocomplete: 'address-line1',
      },
      {
        path: 'address.line2',
        type: 'text',
        autocomplete: 'address-line2',
        optional: true,
      },
      { path: 'address.city', missing: 'Enter your city', type: 'text', autocomplete: 'address-level2' },
      {
        path: 'address.state',
        missing: 'Choose your state',
        type: 'select',
        autocomplete: 'address-level1',
        options: () => US_STATES.map((s) => [s, s]),
      },
      {
        path: 'address.postalCode',
        missing: 'Enter your ZIP code',
        type: 'text',
        autocomplete: 'postal-code',
        inputmode: 'numeric',
      },
    ],
  },
  {
    legend: 'Insurance',
    fields: [
      {
        path: 'insurance.payerId',
        missing: 'Choose your insurance carrier',
        type: 'select',
        options: (payers) => payers.map((p) => [p.id, p.name]),
      },
      {
        path: 'insurance.memberId',
        missing: 'Enter your member ID',
        hint: 'On the front of your insurance card',
        type: 'text',
      },
      {
        path: 'insurance.groupNumber',
        hint: 'If your card shows one',
        type: 'text',
        optional: true,
      },
      {
        path: 'insurance.relationship',
        missing: 'Choose whose policy it is',
        type: 'select',
        options: () => [
          ['self', 'Mine: I am the policyholder'],
          ['spouse', 'My spouse’s or partner’s'],
          ['child', 'My parent’s (I am their child)'],
          ['other', 'Someone else’s'],
        ],
      },
    ],
  },
  {
    legend: 'The policyholder',
    hint: 'Only needed when the policy is in someone else’s name.',
    className: 'subscriber',
    fields: [
      {
        path: 'insurance.subscriber.firstName',
        missing: 'Enter the policyholder’s first name',
        type: 'text',
      },
      {
        path: 'insurance.subscriber.lastName',
        missing: 'Enter the policyholder’s last name',
        type: 'text',
      },
      {
        path: 'insurance.subscriber.dateOfBirth',
        missing: 'Enter the policyholder’s date of birth',
        type: 'date',
      },
    ],
  },
];

export const FIELD_PATHS = SECTIONS.flatMap((s) => s.fields.map((f) => f.path));

function labelOf(path: string): string {
  const label = BILLING_FIELD_LABELS[path];
  if (label === undefined) throw new Error(`BILLING_FIELD_LABELS has no label for ${path}`);
  return label;
}

export type FormValues = Record<string, string>;

/** The saved fields as form values (empty string = not given). */
export function valuesFromFields(f: BillingFields): FormValues {
  const v: Record<string, string | null> = {
    legalFirstName: f.legalFirstName,
    legalLastName: f.legalLastName,
    dateOfBirth: f.dateOfBirth,
    sex: f.sex,
    phone: f.phone,
    'address.line1': f.addressLine1,
    'address.line2': f.addressLine2,
    'address.city': f.city,
    'address.state': f.state,
    'address.postalCode': f.postalCode,
    'insurance.payerId': f.payerId,
    'insurance.memberId': f.memberId,
    'insurance.groupNumber': f.groupNumber,
    'insurance.relationship': f.relationship,
    'insurance.subscriber.firstName': f.subscriberFirstName,
    'insurance.subscriber.lastName': f.subscriberLastName,
    'insurance.subscriber.dateOfBirth': f.subscriberDateOfBirth,
  };
  return Object.fromEntries(FIELD_PATHS.map((p) => [p, v[p] ?? '']));
}

/** The known fields of a posted form, first value each, bounded (the schema gives the real limits). */
export function valuesFromForm(form: URLSearchParams): FormValues {
  return Object.fromEntries(FIELD_PATHS.map((p) => [p, (form.get(p) ?? '').slice(0, 500)]));
}

/**
 * API.md: stored values the page never shows back (date of birth, phone, street address, member id,
 * group number, the subscriber's date of birth). They show as "on file"; a blank one keeps what is
 * on file. Whoever holds a forwarded link can replace them, never read them.
 */
export const ON_FILE_PATHS: readonly string[] = [
  'dateOfBirth',
  'phone',
  'address.line1',
  'insurance.memberId',
  'insurance.groupNumber',
  'insurance.subscriber.dateOfBirth',
];

/** Path → what the page says in place of a stored sensitive value. */
export type OnFile = Map<string, string>;

/** The stored values as the page may show them: the sensitive ones blank, each noted as on file. */
export function shownValues(stored: FormValues): { values: FormValues; onFile: OnFile } {
  const values = { ...stored };
  const onFile: OnFile = new Map();
  for (const path of ON_FILE_PATHS) {
    const value = stored[path] ?? '';
    if (value === '') continue;
    values[path] = '';
    // The member id with its last 4 characters, as on a card statement, when at least as many stay hidden.
    onFile.set(
      path,
      path === 'insurance.memberId' && value.length >= 8 ? `On file, ending in ${value.slice(-4)}` : 'On file',
    );
  }
  return { values, onFile };
}

/** Optional on-file fields the client ticked "Remove" for (a blank one would keep what is on file). */
export function removedFromForm(form: URLSearchParams): Set<string> {
  const optional = new Set(SECTIONS.flatMap((s) => s.fields.filter((f) => f.optional).map((f) => f.path)));
  return new Set(form.getAll('remove').filter((p) => ON_FILE_PATHS.includes(p) && optional.has(p)));
}

/** What a save means: the posted values, a blank sensitive field being what is on file unless removed. */
export function withOnFile(posted: FormValues, stored: FormValues, removed: Set<string>): FormValues {
  const out = { ...posted };
  for (const path of ON_FILE_PATHS) {
    if ((posted[path] ?? '').trim() === '' && !removed.has(path)) out[path] = stored[path] ?? '';
  }
  return out;
}

/**
 * The API's BillingInfo body from form values: blank fields are left out (the required ones are
 * then reported as missing), and a policyholder's fields are dropped when the policy is the client's own.
 */
export function billingInputFromValues(values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const self = values['insurance.relationship'] === 'self';
  for (const path of FIELD_PATHS) {
    const value = values[path] ?? '';
    if (value.trim() === '') continue;
    if (self && path.startsWith('insurance.subscriber.')) continue;
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) {
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = value;
  }
  return out;
}

const MISSING = new Map(
  SECTIONS.flatMap((s) => s.fields.map((f) => [f.path, f.missing ?? `Enter ${labelOf(f.path).toLowerCase()}`])),
);

/** The message for a required field left blank, in the page's own words. */
export function missingMessage(path: string): string {
  return MISSING.get(path) ?? 'This is needed';
}

const fieldId = (path: string) => `f-${path.replace(/\./g, '-')}`;

interface FieldState {
  values: FormValues;
  errors: Map<string, string>;
  payers: Payer[];
  onFile: OnFile;
  removed: Set<string>;
}

function renderField(f: Field, st: FieldState): Html {
  const id = fieldId(f.path);
  const value = st.values[f.path] ?? '';
  const error = st.errors.get(f.path);
  const onFile = st.onFile.get(f.path);
  const describedBy = [f.hint ? `${id}-hint` : '', onFile ? `${id}-onfile` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  // On file: a blank field is fine (it keeps what is there), so not `required`.
  const required = !f.optional && !onFile;
  const common = html`id="${id}" name="${f.path}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}${required ? html` required` : ''}${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}`;
  const control =
    f.type === 'select'
      ? html`<select ${common}><option value="">Choose…</option>${(f.options?.(st.payers) ?? []).map(([v, l]) => html`<option value="${v}"${v === value ? html` selected` : ''}>${l}</option>`)}</select>`
      : html`<input type="${f.type}" ${common} value="${value}"${f.inputmode ? html` inputmode="${f.inputmode}"` : ''}${f.type === 'date' ? html` max="9999-12-31"` : ''}>`;
  const note = onFile
    ? html`<span class="hint" id="${id}-onfile">${onFile}. Leave blank to keep it, or enter a new one.</span>`
    : '';
  const remove =
    onFile && f.optional
      ? html`<div class="check"><input type="checkbox" id="${id}-remove" name="remove" value="${f.path}"${st.removed.has(f.path) ? html` checked` : ''}><label for="${id}-remove">Remove the ${labelOf(f.path).toLowerCase()} on file</label></div>`
      : '';
  return html`<div class="field${error ? ' invalid' : ''}">
<label for="${id}">${labelOf(f.path)}${f.optional ? html` <span class="opt">(optional)</span>` : ''}</label>
${f.hint ? html`<span class="hint" id="${id}-hint">${f.hint}</span>` : ''}${note}${control}${remove}
${error ? html`<p class="error" id="${id}-error"><span class="visually-hidden">Error: </span>${error}</p>` : ''}</div>`;
}

export function renderAccountForm(p: {
  values: FormValues;
  errors: Map<string, string>;
  payers: Payer[];
  onFile: OnFile;
  removed?: Set<string>;
  /** Where the form posts: the page's address without the link's token. */
  action: string;
  csrf: string;
}): Html {
  const st: FieldState = { ...p, removed: p.removed ?? new Set() };
  const summary = p.errors.size
    ? html`<div class="summary" role="alert" tabindex="-1" autofocus id="error-summary" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">Please fix ${p.errors.size === 1 ? 'this' : `these ${p.errors.size}`} before saving</h2>
<ul>${FIELD_PATHS.filter((path) => p.errors.has(path)).map((path) => html`<li><a href="#${fieldId(path)}">${p.errors.get(path)!}</a></li>`)}</ul></div>`
    : '';
  const sections = SECTIONS.map((s) => {
    const fields = joined(
      s.fields.map((f) => renderField(f, st)),
      '\n',
    );
    return html`<fieldset${s.className ? html` class="${s.className}"` : ''}${s.hint ? html` aria-describedby="${s.className}-hint"` : ''}>
<legend>${s.legend}</legend>${s.hint ? html`<p class="hint" id="${s.className}-hint">${s.hint}</p>` : ''}
${fields}</fieldset>`;
  });
  return html`${summary}<form method="post" action="${p.action}" novalidate class="card">
<input type="hidden" name="csrf" value="${p.csrf}">
${joined(sections, '\n')}
<button type="submit">Save my details</button>
</form>`;
}

/**
 * Required fields left blank, by the same rule the API's `missing` uses (missingBillingFields):
 * read from the raw form values, so blanks are reported even when another field is invalid.
 */
export function blankRequired(values: FormValues): string[] {
  const v = (p: string) => (values[p] ?? '').trim() || null;
  return missingBillingFields({
    legalFirstName: v('legalFirstName'),
    legalLastName: v('legalLastName'),
    dateOfBirth: v('dateOfBirth'),
    sex: v('sex') as BillingFields['sex'],
    phone: v('phone'),
    addressLine1: v('address.line1'),
    addressLine2: v('address.line2'),
    city: v('address.city'),
    state: v('address.state'),
    postalCode: v('address.postalCode'),
    payerId: v('insurance.payerId'),
    memberId: v('insurance.memberId'),
    groupNumber: v('insurance.groupNumber'),
    relationship: v('insurance.relationship') as BillingFields['relationship'],
    subscriberFirstName: v('insurance.subscriber.firstName'),
    subscriberLastName: v('insurance.subscriber.lastName'),
    subscriberDateOfBirth: v('insurance.subscriber.dateOfBirth'),
  });
}
