// The options page's billing profile and fees sections with Testing Library, through the real background
// handlers over a stubbed API: every field saved as the API expects, errors (the shared schema's in the
// background, or the API's 400) beside their fields with a focused summary and the values kept, the tax id
// never shown, dollars in the page and cents to the API, and the page opening at `#billing-profile` / `#fees`.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError, type BillingProfile } from '../../extension/api';
import { BillingProfileSection } from '../../extension/components/BillingProfileSection';
import { FeesSection } from '../../extension/components/FeesSection';
import { OptionsPage } from '../../extension/components/OptionsPage';
import { toCents } from '../../extension/claims/money';
import { sendThrough, signInAs, stubApi } from './helpers';

const EMPTY_ADDRESS = { line1: null, line2: null, city: null, state: null, postalCode: null };
const ME = {
  id: 'prv_1',
  name: 'Dr. Ada Byron',
  email: 'ada@example.com',
  timeZone: 'America/New_York',
  npi: '1234567893',
  telehealthUrl: null,
  carriers: [],
  billingComplete: false,
  calendarFeed: null,
};

function blankProfile(over: Partial<BillingProfile> = {}): BillingProfile {
  return {
    billingName: null,
    entity: null,
    taxId: null,
    taxonomyCode: null,
    groupNpi: null,
    address: EMPTY_ADDRESS,
    phone: null,
    serviceAddress: null,
    edi: { submitterId: null, submitterName: null, receiverId: null, receiverName: null, usage: null },
    missing: ['billingName', 'entity', 'taxId', 'taxonomyCode'],
    ...over,
  };
}

const type = (label: string | RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
const choose = (label: string | RegExp, value: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value } });

beforeEach(() => {
  fakeBrowser.reset();
  history.replaceState(null, '', '/options.html');
});
afterEach(() => cleanup());

describe('billing profile section', () => {
  it('saves every field as the API expects, blank ones left out, and shows what is still missing', async () => {
    const saved = blankProfile({
      billingName: 'Byron, Ada',
      entity: 'person',
      taxId: { type: 'SSN', last4: '6789' },
      missing: ['edi.receiverName'],
    });
    const api = stubApi({
      billingProfile: async () => blankProfile(),
      me: async () => ME,
      putBillingProfile: async () => saved,
    });
    render(<BillingProfileSection send={sendThrough(api)} />);
    await screen.findByLabelText('Legal billing name');
    expect((screen.getByLabelText('Your NPI') as HTMLInputElement).value).toBe('1234567893');
    expect(screen.getByText(/still needs/).parentElement?.textContent).toContain('Tax ID');

    choose('You bill as', 'person');
    type('Legal billing name', 'Byron, Ada');
    choose('Tax ID type', 'SSN');
    type('Tax ID number', '123-45-6789');
    type('Taxonomy code', '101yp2500x');
    type('Street address', '250 W 57th St');
    type('City', 'New York');
    type('State', 'ny');
    type('ZIP+4', '10107-1507');
    type('Phone', '212-555-0123');
    type('Submitter ID', 'DEMO001');
    choose('Files are for', 'test');
    fireEvent.click(screen.getByRole('button', { name: 'Save billing profile' }));

    await waitFor(() => expect(api.putBillingProfile).toHaveBeenCalledTimes(1));
    expect(api.putBillingProfile.mock.calls[0]?.[0]).toEqual({
      billingName: 'Byron, Ada',
      entity: 'person',
      taxId: { type: 'SSN', value: '123456789' },
      taxonomyCode: '101YP2500X',
      address: { line1: '250 W 57th St', city: 'New York', state: 'NY', postalCode: '10107-1507' },
      phone: '212-555-0123',
      edi: { submitterId: 'DEMO001', usage: 'test' },
    });
    expect((await screen.findByRole('status')).textContent).toContain('Saved.');
    // The number is gone from the page once saved: only its type and last 4 are shown.
    expect((screen.getByLabelText('Tax ID number') as HTMLInputElement).value).toBe('');
    expect(document.body.textContent).toContain('On file: SSN ending in 6789');
    expect(document.body.innerHTML).not.toContain('123-45-6789');
    expect(document.body.innerHTML).not.toContain('123456789');
    expect(screen.getByText(/still needs/).parentElement?.textContent).toContain('Receiver name');
  });

  it('a blank tax id number keeps the one on file (the type is sent without a value)', async () => {
    const profile = blankProfile({
      entity: 'person',
      billingName: 'Byron, Ada',
      taxId: { type: 'EIN', last4: '4567' },
    });
    const api = stubApi({
      billingProfile: async () => profile,
      me: async () => ME,
      putBillingProfile: async () => profile,
    });
    render(<BillingProfileSection send={sendThrough(api)} />);
    expect(await screen.findByText('On file: EIN ending in 4567. Leave blank to keep it.')).toBeTruthy();
    expect((screen.getByLabelText('Tax ID number') as HTMLInputElement).value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Save billing profile' }));
    await waitFor(() => expect(api.putBillingProfile).toHaveBeenCalledTimes(1));
    expect(api.putBillingProfile.mock.calls[0]?.[0]).toMatchObject({ taxId: { type: 'EIN' } });
    // No number goes over the wire (JSON drops the undefined value): the API keeps the stored one.
    expect(JSON.stringify(api.putBillingProfile.mock.calls[0]?.[0].taxId)).toBe('{"type":"EIN"}');
  });

  it('the shared schema’s errors are shown beside their fields, with a focused summary; nothing is sent and values stay', async () => {
    const api = stubApi({ billingProfile: async () => blankProfile(), me: async () => ME });
    render(<BillingProfileSection send={sendThrough(api)} />);
    await screen.findByLabelText('ZIP+4');
    type('ZIP+4', '10107');
    type('Street address', 'PO Box 12');
    fireEvent.click(screen.getByRole('button', { name: 'Save billing profile' }));

    const zip = screen.getByLabelText('ZIP+4');
    await waitFor(() => expect(zip.getAttribute('aria-invalid')).toBe('true'));
    const zipError = document.getElementById(zip.getAttribute('aria-describedby')!.split(' ').at(-1)!);
    expect(zipError?.textContent).toContain('ZIP+4');
    expect(screen.getByLabelText('Street address').getAttribute('aria-invalid')).toBe('true');
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toContain('was not saved');
    await waitFor(() => expect(document.activeElement).toBe(summary));
    // Each summary item leads to its field.
    fireEvent.click(screen.getByRole('link', { name: /ZIP\+4/ }));
    expect(document.activeElement).toBe(zip);
    expect((zip as HTMLInputElement).value).toBe('10107');
    expect(api.putBillingProfile).not.toHaveBeenCalled();
  });

  it('the API’s 400 issues (dot paths) land beside their fields', async () => {
    const profile = blankProfile({ taxId: { type: 'EIN', last4: '4567' } });
    const api = stubApi({
      billingProfile: async () => profile,
      me: async () => ME,
      putBillingProfile: async () => {
        throw new ApiError({
          kind: 'api',
          status: 400,
          code: 'validation_failed',
          message: 'Check the fields.',
          issues: [{ path: 'taxId.value', message: 'Enter the number: a tax id is never relabelled' }],
        });
      },
    });
    render(<BillingProfileSection send={sendThrough(api)} />);
    await screen.findByLabelText('Tax ID type');
    choose('Tax ID type', 'SSN');
    fireEvent.click(screen.getByRole('button', { name: 'Save billing profile' }));
    const number = screen.getByLabelText('Tax ID number');
    await waitFor(() => expect(number.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('bp-taxId-value-error')?.textContent).toContain('never relabelled');
    expect(number.getAttribute('aria-describedby')).toContain('bp-taxId-value-error');
    expect((screen.getByLabelText('Tax ID type') as HTMLSelectElement).value).toBe('SSN');
  });

  it('an organization is asked for its group NPI and offered EIN only', async () => {
    const api = stubApi({ billingProfile: async () => blankProfile(), me: async () => ME });
    render(<BillingProfileSection send={sendThrough(api)} />);
    await screen.findByLabelText('You bill as');
    expect(screen.queryByLabelText('Group NPI')).toBeNull();
    choose('You bill as', 'organization');
    expect(screen.getByLabelText('Group NPI')).toBeTruthy();
    const types = [...(screen.getByLabelText('Tax ID type') as HTMLSelectElement).options].map((o) => o.value);
    expect(types).toEqual(['', 'EIN']);
  });
});

describe('fees section', () => {
  const FEES = { items: [{ cptCode: '90834', amountCents: 15000 }] };

  it('shows dollars, sends cents, and a blank fee is no fee', async () => {
    const api = stubApi({
      fees: async () => FEES,
      putFees: async (input: { items: unknown[] }) => input,
    });
    render(<FeesSection send={sendThrough(api)} />);
    const f90834 = (await screen.findByLabelText(/^90834/)) as HTMLInputElement;
    expect(f90834.value).toBe('150.00');
    type(/^90837/, '$1,200.5');
    type(/^90834/, '');
    type(/^90791/, '19.99');
    fireEvent.click(screen.getByRole('button', { name: 'Save fees' }));
    await waitFor(() => expect(api.putFees).toHaveBeenCalledTimes(1));
    const sent = api.putFees.mock.calls[0]?.[0].items;
    expect(sent).toEqual(
      expect.arrayContaining([
        { cptCode: '90837', amountCents: 120050 },
        { cptCode: '90791', amountCents: 1999 },
      ]),
    );
    expect(sent).toHaveLength(2);
    expect((await screen.findByRole('status')).textContent).toMatch(/Saved\. 2 of \d+ codes have a fee/);
    expect((screen.getByLabelText(/^90837/) as HTMLInputElement).value).toBe('1200.50');
  });

  it('a fee that is not dollars is refused beside its field before anything is sent', async () => {
    const api = stubApi({ fees: async () => FEES });
    render(<FeesSection send={sendThrough(api)} />);
    await screen.findByLabelText(/^90834/);
    type(/^90837/, '12.345');
    fireEvent.click(screen.getByRole('button', { name: 'Save fees' }));
    const field = screen.getByLabelText(/^90837/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('fee-90837-error')?.textContent).toContain('dollars');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('alert')));
    expect((field as HTMLInputElement).value).toBe('12.345');
    expect(api.putFees).not.toHaveBeenCalled();
  });

  it('the API’s issue on items.N lands beside that code’s fee', async () => {
    const api = stubApi({
      fees: async () => ({ items: [] }),
      putFees: async () => {
        throw new ApiError({
          kind: 'api',
          status: 400,
          code: 'validation_failed',
          message: 'Check the fields.',
          issues: [{ path: 'items.1.amountCents', message: 'A fee is at most 10,000,000 cents ($100,000)' }],
        });
      },
    });
    render(<FeesSection send={sendThrough(api)} />);
    await screen.findByLabelText(/^90834/);
    type(/^90791/, '100');
    // Over the schema's limit is caught by the background first; this one the stub API refuses.
    type(/^90834/, '99999');
    fireEvent.click(screen.getByRole('button', { name: 'Save fees' }));
    await waitFor(() => expect(screen.getByLabelText(/^90834/).getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('fee-90834-error')?.textContent).toContain('$100,000');
    expect(screen.getByLabelText(/^90791/).getAttribute('aria-invalid')).toBeNull();
  });

  it('dollars parse exactly, and anything else is not an amount', () => {
    expect(toCents('19.99')).toBe(1999);
    expect(toCents('$1,200')).toBe(120000);
    expect(toCents('0.1')).toBe(10);
    for (const bad of ['', 'abc', '1.234', '1,20', '-5', '12,34.5']) expect(toCents(bad)).toBeNull();
  });
});

describe('options page sections and the address hash', () => {
  it('#fees scrolls to and focuses the Fees heading once loaded', async () => {
    await signInAs(true);
    history.replaceState(null, '', '/options.html#fees');
    const api = stubApi({
      billingProfile: async () => blankProfile(),
      me: async () => ME,
      fees: async () => ({ items: [] }),
      activity: async () => ({ items: [], nextCursor: null }),
    });
    render(<OptionsPage send={sendThrough(api)} />);
    const heading = await screen.findByRole('heading', { name: 'Fees' });
    expect(heading.closest('section')?.id).toBe('fees');
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole('heading', { name: 'Billing profile' }).closest('section')?.id).toBe('billing-profile');
    expect(screen.getByRole('link', { name: 'open Claims' }).getAttribute('href')).toBe('/claims.html');
  });

  it('#billing-profile focuses the Billing profile heading', async () => {
    history.replaceState(null, '', '/options.html#billing-profile');
    const api = stubApi({ billingProfile: async () => blankProfile(), me: async () => ME });
    render(<BillingProfileSection send={sendThrough(api)} />);
    const heading = await screen.findByRole('heading', { name: 'Billing profile' });
    await screen.findByLabelText('Legal billing name');
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });
});
