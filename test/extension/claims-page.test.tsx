// The Claims page with Testing Library, through the real background handlers over a stubbed API:
// ready claims with client, date, codes and total; "Download 837P" (one export with an Idempotency-Key,
// then its file, saved from the page); past exports downloaded again; only the status reports the API
// allows, each confirmed first (Cancel and Escape send nothing); correct and void; errors shown plainly.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ApiError, type ApiClient, type ClaimExportOut, type ClaimOut } from '../../extension/api';
import { ClaimsPage } from '../../extension/components/ClaimsPage';
import type { ExportFile } from '../../extension/messages';
import { openSettingsAt, settingsSection } from '../../extension/popup/provider-billing';
import { clearAuth, getAuth } from '../../extension/storage';
import { sendThrough, signInAs, stubApi } from './helpers';

function claim(over: Partial<ClaimOut> = {}): ClaimOut {
  return {
    id: 'clm_1',
    claimNumber: '261201-ABC234',
    appointmentId: 'apt_1',
    clientId: 'cli_1',
    payerId: 'pay_aetna',
    payer: { id: 'pay_aetna', name: 'Aetna', payerCode: '60054' },
    status: 'ready',
    frequency: 'original',
    replacesClaimId: null,
    payerClaimNumber: null,
    serviceDate: '2026-11-30',
    placeOfService: '11',
    cptCode: '90837',
    modifiers: [],
    diagnosisCodes: ['F41.1', 'F32.1'],
    lines: [
      { cptCode: '90837', modifiers: [], units: 1, amountCents: 15000, diagnosisPointers: [1, 2] },
      { cptCode: '90785', modifiers: [], units: 1, amountCents: 2500, diagnosisPointers: [1] },
    ],
    totalCents: 17500,
    exportId: null,
    paidCents: null,
    units: 1,
    renderingNpi: '1234567893',
    memberId: 'W283746519',
    groupNumber: null,
    patient: {
      legalFirstName: 'Maria',
      legalLastName: 'Alvarez',
      dateOfBirth: '1988-04-12',
      sex: 'F',
      phone: '2125550142',
      address: { line1: '120 W 86th St', line2: null, city: 'New York', state: 'NY', postalCode: '10024' },
      relationship: 'self',
      subscriber: null,
    },
    createdAt: '2026-12-01T15:00:00.000Z',
    updatedAt: '2026-12-01T15:00:00.000Z',
    ...over,
  };
}

const EXPORT: ClaimExportOut = {
  id: 'exp_1',
  claimIds: ['clm_1'],
  claimCount: 1,
  totalCents: 17500,
  interchangeControlNumber: '000000042',
  createdAt: '2026-12-02T10:00:00.000Z',
};
const FILE = { text: 'ISA*00*          *00*~', filename: 'caseload-837p-000000042.txt' };
const page = <T,>(items: T[]) => ({ items, nextCursor: null });

function renderPage(api: ApiClient) {
  const saved: ExportFile[] = [];
  render(
    <ClaimsPage
      send={sendThrough(api)}
      save={(f) => saved.push(f)}
      newKey={() => 'key-export-0001'}
      watch={() => () => undefined}
    />,
  );
  return { saved };
}

const card = (name: RegExp) => screen.getByRole('heading', { name }).closest('li') as HTMLElement;

beforeEach(() => fakeBrowser.reset());
afterEach(() => cleanup());

describe('claims page', () => {
  it('lists a ready claim with client, date of service, codes and total', async () => {
    renderPage(stubApi({ listClaims: async () => page([claim()]), listExports: async () => page([]) }));
    const item = (await screen.findByRole('heading', { name: /Maria Alvarez · Nov 30, 2026/ })).closest('li')!;
    expect(item.textContent).toContain('Ready');
    expect(item.textContent).toContain('90837, 90785 · F41.1, F32.1');
    expect(item.textContent).toContain('$175.00');
    expect(screen.getByText(/1 claim ready, \$175\.00 in all/)).toBeTruthy();
    // A ready claim can be voided; it is corrected from its confirmation, and has no report yet.
    expect(
      within(item)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Void']);
  });

  it('Download 837P makes one export with an Idempotency-Key, saves its file and shows the claim exported', async () => {
    let claims = [claim()];
    const api = stubApi({
      listClaims: async () => page(claims),
      listExports: async () => page(claims[0]?.status === 'exported' ? [EXPORT] : []),
      createExport: async () => {
        claims = [claim({ status: 'exported', exportId: 'exp_1' })];
        return EXPORT;
      },
      exportFile: async () => FILE,
    });
    const { saved } = renderPage(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Download 837P' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(api.createExport).toHaveBeenCalledWith('key-export-0001');
    expect(api.exportFile).toHaveBeenCalledWith('exp_1');
    expect(saved[0]?.text.startsWith('ISA*')).toBe(true);
    expect(saved[0]?.filename).toBe('caseload-837p-000000042.txt');
    const status = await screen.findByText(/Saved caseload-837p-000000042\.txt: 1 claim, \$175\.00/);
    await waitFor(() => expect(document.activeElement).toBe(status));
    expect(card(/Maria Alvarez/).textContent).toContain('Exported');
    expect((screen.getByRole('button', { name: 'Download 837P' }) as HTMLButtonElement).disabled).toBe(true);
    // The past export can be downloaded again.
    fireEvent.click(screen.getByRole('button', { name: 'Download again: interchange 000000042' }));
    await waitFor(() => expect(saved).toHaveLength(2));
  });

  it('a failed export says why and saves nothing', async () => {
    const api = stubApi({
      listClaims: async () => page([claim()]),
      listExports: async () => page([]),
      createExport: async () => {
        throw new ApiError({
          kind: 'api',
          status: 422,
          code: 'provider_billing_incomplete',
          message: 'Complete your billing profile first.',
          missing: ['billingProfile.edi.receiverId'],
        });
      },
    });
    const { saved } = renderPage(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Download 837P' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Complete your billing profile first.');
    expect(screen.getByRole('link', { name: 'Open settings' }).getAttribute('href')).toBe(
      '/options.html#billing-profile',
    );
    expect(saved).toEqual([]);
    expect(api.exportFile).not.toHaveBeenCalled();
  });

  it('offers only the reports the API allows from each status', async () => {
    renderPage(
      stubApi({
        listClaims: async () =>
          page([
            claim({ id: 'c1', status: 'exported', patient: { ...claim().patient, legalFirstName: 'Ex' } }),
            claim({ id: 'c2', status: 'submitted', patient: { ...claim().patient, legalFirstName: 'Sub' } }),
            claim({ id: 'c3', status: 'accepted', patient: { ...claim().patient, legalFirstName: 'Acc' } }),
            claim({
              id: 'c4',
              status: 'paid',
              paidCents: 12000,
              patient: { ...claim().patient, legalFirstName: 'Paid' },
            }),
            claim({ id: 'c5', status: 'replaced', patient: { ...claim().patient, legalFirstName: 'Rep' } }),
            claim({
              id: 'c6',
              status: 'ready',
              frequency: 'void',
              patient: { ...claim().patient, legalFirstName: 'Vo' },
            }),
          ]),
        listExports: async () => page([]),
      }),
    );
    await screen.findByRole('heading', { name: /Ex Alvarez/ });
    // The actions on each claim (History, which only shows what was recorded, is counted apart).
    const buttons = (name: RegExp) =>
      within(card(name))
        .queryAllByRole('button')
        .map((b) => b.textContent)
        .filter((t) => t !== 'History');
    const hasHistory = (name: RegExp) => within(card(name)).queryByRole('button', { name: 'History' }) !== null;
    expect([/Ex Alvarez/, /Sub Alvarez/, /Paid Alvarez/, /Rep Alvarez/].map(hasHistory)).toEqual([
      false,
      true,
      true,
      true,
    ]);
    expect(buttons(/Ex Alvarez/)).toEqual(['Record submitted', 'Correct', 'Void']);
    expect(buttons(/Sub Alvarez/)).toEqual(['Record accepted', 'Record rejected', 'Correct', 'Void']);
    expect(buttons(/Acc Alvarez/)).toEqual(['Record paid', 'Record denied', 'Correct', 'Void']);
    expect(buttons(/Paid Alvarez/)).toEqual(['Correct', 'Void']);
    expect(card(/Paid Alvarez/).textContent).toContain('Paid $120.00');
    expect(buttons(/Rep Alvarez/)).toEqual([]);
    expect(buttons(/Vo Alvarez/)).toEqual([]);
  });

  it('History shows what the payer answered, with the notes, fetched once opened; a failure says why', async () => {
    const sent = claim({ status: 'paid', paidCents: 12_000, payerClaimNumber: 'P-77' });
    let fail = false;
    const api = stubApi({
      listClaims: async () => page([sent]),
      listExports: async () => page([]),
      getClaim: async () => {
        if (fail) throw new ApiError({ kind: 'unreachable', message: 'The Caseload server cannot be reached.' });
        return {
          ...sent,
          reports: [
            {
              status: 'submitted',
              payerClaimNumber: null,
              paidCents: null,
              note: null,
              at: '2026-12-02T10:00:00.000Z',
            },
            {
              status: 'accepted',
              payerClaimNumber: 'P-77',
              paidCents: null,
              note: 'Batch 1182',
              at: '2026-12-03T10:00:00.000Z',
            },
            {
              status: 'paid',
              payerClaimNumber: null,
              paidCents: 12_000,
              note: 'ERA: CO-45 adjustment',
              at: '2026-12-09T10:00:00.000Z',
            },
          ],
        };
      },
    });
    renderPage(api);
    const toggle = await screen.findByRole('button', { name: 'History' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(api.getClaim).not.toHaveBeenCalled();
    fireEvent.click(toggle);
    const items = await within(card(/Maria Alvarez/)).findAllByRole('listitem');
    expect(api.getClaim).toHaveBeenCalledWith('clm_1');
    expect(items.map((li) => li.textContent)).toEqual([
      expect.stringMatching(/Submitted$/),
      expect.stringMatching(/Accepted · payer’s number P-77 · “Batch 1182”$/),
      expect.stringMatching(/Paid · \$120\.00 · “ERA: CO-45 adjustment”$/),
    ]);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Hide history' }));
    expect(within(card(/Maria Alvarez/)).queryAllByRole('listitem')).toHaveLength(0);
    fail = true;
    fireEvent.click(screen.getByRole('button', { name: 'History' }));
    expect(await within(card(/Maria Alvarez/)).findByText('The Caseload server cannot be reached.')).toBeTruthy();
  });

  it('"Record paid" asks first with the total as the amount; Cancel and Escape send nothing', async () => {
    let current = claim({ status: 'accepted', payerClaimNumber: 'P-77' });
    const api = stubApi({
      listClaims: async () => page([current]),
      listExports: async () => page([]),
      claimStatus: async (_id: string, input: { paidCents?: number }) => {
        current = claim({ status: 'paid', paidCents: input.paidCents ?? null, payerClaimNumber: 'P-77' });
        return current;
      },
    });
    renderPage(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Record paid' }));
    const amount = screen.getByLabelText('Amount paid ($)') as HTMLInputElement;
    expect(amount.value).toBe('175.00');
    await waitFor(() => expect(document.activeElement).toBe(amount));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('Amount paid ($)')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: /Maria Alvarez/ })));

    fireEvent.click(screen.getByRole('button', { name: 'Record paid' }));
    fireEvent.keyDown(screen.getByLabelText('Amount paid ($)'), { key: 'Escape' });
    expect(screen.queryByLabelText('Amount paid ($)')).toBeNull();
    expect(api.claimStatus).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Record paid' }));
    fireEvent.input(screen.getByLabelText('Amount paid ($)'), { target: { value: '150' } });
    fireEvent.click(within(card(/Maria Alvarez/)).getByRole('button', { name: 'Record paid' }));
    await waitFor(() => expect(api.claimStatus).toHaveBeenCalledWith('clm_1', { status: 'paid', paidCents: 15000 }));
    expect((await screen.findByText(/recorded as paid \(\$150\.00\)/)).getAttribute('role')).toBe('status');
    expect(card(/Maria Alvarez/).textContent).toContain('Paid $150.00');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('heading', { name: /Maria Alvarez/ })));
  });

  it('"Record accepted" sends the payer’s claim number; the API’s refusal is shown and the panel stays', async () => {
    const api = stubApi({
      listClaims: async () => page([claim({ status: 'submitted' })]),
      listExports: async () => page([]),
      claimStatus: async () => {
        throw new ApiError({
          kind: 'api',
          status: 409,
          code: 'invalid_state',
          message: 'This claim is accepted; it can become accepted only from submitted.',
        });
      },
    });
    renderPage(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Record accepted' }));
    fireEvent.input(screen.getByLabelText('Payer’s claim number (optional)'), { target: { value: 'AET-99812' } });
    fireEvent.click(within(card(/Maria Alvarez/)).getByRole('button', { name: 'Record accepted' }));
    await waitFor(() =>
      expect(api.claimStatus).toHaveBeenCalledWith('clm_1', { status: 'accepted', payerClaimNumber: 'AET-99812' }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('can become accepted only from submitted');
    expect((screen.getByLabelText('Payer’s claim number (optional)') as HTMLInputElement).value).toBe('AET-99812');
  });

  it('Correct sends the corrected codes for a replacement claim', async () => {
    let claims = [claim({ status: 'rejected' })];
    const api = stubApi({
      listClaims: async () => page(claims),
      listExports: async () => page([]),
      replaceClaim: async () => {
        const replacement = claim({
          id: 'clm_2',
          frequency: 'replacement',
          cptCode: '90834',
          replacesClaimId: 'clm_1',
        });
        claims = [replacement, claim({ status: 'replaced' })];
        return replacement;
      },
    });
    renderPage(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Correct' }));
    expect((screen.getByLabelText('ICD-10-CM codes') as HTMLInputElement).value).toBe('F41.1, F32.1');
    // The primary codes to choose from (the popup's list), the claim's own chosen.
    const cpt = (await screen.findByRole('combobox', { name: 'CPT code' })) as HTMLSelectElement;
    expect(cpt.value).toBe('90837');
    expect([...cpt.options].map((o) => o.value)).toEqual(expect.arrayContaining(['90834', '90837', '90791']));
    fireEvent.change(cpt, { target: { value: '90834' } });
    fireEvent.input(screen.getByLabelText('ICD-10-CM codes'), { target: { value: 'f41.1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Make the replacement' }));
    await waitFor(() =>
      expect(api.replaceClaim).toHaveBeenCalledWith('clm_1', {
        cptCode: '90834',
        addOnCodes: ['90785'],
        diagnosisCodes: ['F41.1'],
      }),
    );
    expect(await screen.findByText(/is replaced\. The corrected claim is ready/)).toBeTruthy();
    expect(screen.getByText(/\(Replacement\)/)).toBeTruthy();
  });

  it('Void of a sent claim says a void claim will go in the next file; Yes voids it', async () => {
    let claims = [claim({ status: 'exported' })];
    const api = stubApi({
      listClaims: async () => page(claims),
      listExports: async () => page([]),
      voidClaim: async () => {
        claims = [claim({ id: 'clm_v', frequency: 'void' }), claim({ status: 'voided' })];
        return claims[0];
      },
    });
    renderPage(api);
    fireEvent.click(await screen.findByRole('button', { name: 'Void' }));
    expect(screen.getByText(/A void claim goes in your next 837P file/)).toBeTruthy();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Yes, void it' })));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, void it' }));
    await waitFor(() => expect(api.voidClaim).toHaveBeenCalledWith('clm_1'));
    expect(await screen.findByText(/Its void claim is ready for your next 837P file/)).toBeTruthy();
  });

  it('signing out elsewhere takes the claims off the page; signing in brings them back', async () => {
    vi.stubGlobal('browser', fakeBrowser);
    try {
      await signInAs(true);
      // As the real client: no stored token, no request (api.ts throws signed_out).
      const api = stubApi({
        listClaims: async () => {
          if (!(await getAuth())) throw new ApiError({ kind: 'signed_out', message: 'Sign in to Caseload first.' });
          return page([claim()]);
        },
        listExports: async () => page([]),
      });
      render(<ClaimsPage send={sendThrough(api)} save={() => undefined} />);
      await screen.findByRole('heading', { name: /Maria Alvarez/ });
      await clearAuth();
      expect((await screen.findByRole('alert')).textContent).toContain('Sign in');
      expect(screen.queryByText(/Maria Alvarez/)).toBeNull();
      await signInAs(true);
      expect(await screen.findByRole('heading', { name: /Maria Alvarez/ })).toBeTruthy();
    } finally {
      cleanup();
      vi.unstubAllGlobals();
    }
  });

  it('counts every ready claim, not only the newest page; "Show older claims" pages on and keeps them after an action', async () => {
    // 230 claims, newest first: the newest 100 are paid, then one ready claim per older page boundary.
    const all = Array.from({ length: 230 }, (_, i) =>
      claim({
        id: `clm_${String(230 - i).padStart(3, '0')}`,
        appointmentId: `apt_${i}`,
        status: i === 150 || i === 229 ? 'ready' : 'accepted',
        serviceDate: '2026-11-01',
        createdAt: new Date(Date.parse('2026-12-01T00:00:00.000Z') - i * 60_000).toISOString(),
        patient: { ...claim().patient, legalFirstName: `Pat${i}` },
      }),
    );
    const listed = (q: { status?: string; cursor?: string; limit?: number }) => {
      const from = q.cursor ? Number(q.cursor) : 0;
      const rows = all.filter((c) => !q.status || c.status === q.status);
      const items = rows.slice(from, from + (q.limit ?? 50));
      return { items, nextCursor: from + items.length < rows.length ? String(from + items.length) : null };
    };
    const api = stubApi({
      listClaims: async (q = {}) => listed(q),
      listExports: async () => page([]),
      getClaim: async (id: string) => all.find((c) => c.id === id)!,
      claimStatus: async (id: string) => {
        const i = all.findIndex((c) => c.id === id);
        all[i] = { ...all[i]!, status: 'paid', paidCents: 17500 };
        return all[i]!;
      },
    });
    renderPage(api);
    // Both ready claims are older than the first page: still counted, as the download would send them.
    expect(await screen.findByText(/2 claims ready, \$350\.00 in all/)).toBeTruthy();
    expect(api.listClaims).toHaveBeenCalledWith({ status: 'ready', limit: 200, cursor: undefined });
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(100);
    expect(screen.queryByRole('heading', { name: /Pat150 / })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Show older claims' }));
    const first = await screen.findByRole('heading', { name: /Pat100 / });
    await waitFor(() => expect(document.activeElement).toBe(first));
    expect(screen.getByText('100 older claims shown.')).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(200);
    fireEvent.click(screen.getByRole('button', { name: 'Show older claims' }));
    await screen.findByRole('heading', { name: /Pat229 / });
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(230);
    expect(screen.queryByRole('button', { name: 'Show older claims' })).toBeNull();

    // An action on an older claim: the page refreshes and the claim stays in view, updated.
    const old = card(/Pat180 /);
    fireEvent.click(within(old).getByRole('button', { name: 'Record paid' }));
    fireEvent.click(within(card(/Pat180 /)).getByRole('button', { name: 'Record paid' }));
    await waitFor(() => expect(card(/Pat180 /).textContent).toContain('Paid $175.00'));
    expect(screen.getAllByRole('heading', { level: 3 })).toHaveLength(230);
  });

  it('a change of sign-in drops the older pages shown: they may be another provider’s', async () => {
    let who = 'first';
    const api = stubApi({
      listClaims: async (q: { status?: string; cursor?: string } = {}) =>
        q.cursor
          ? {
              items: [claim({ id: 'clm_old', patient: { ...claim().patient, legalFirstName: 'Olda' } })],
              nextCursor: null,
            }
          : { items: who === 'first' ? [claim()] : [], nextCursor: q.status ? null : 'c1' },
      listExports: async () => page([]),
    });
    let changed: () => void = () => undefined;
    render(
      <ClaimsPage
        send={sendThrough(api)}
        save={() => undefined}
        watch={(cb) => {
          changed = cb;
          return () => undefined;
        }}
      />,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Show older claims' }));
    await screen.findByRole('heading', { name: /Olda Alvarez/ });
    who = 'second';
    changed();
    await waitFor(() => expect(screen.queryByRole('heading', { name: /Maria Alvarez/ })).toBeNull());
    expect(screen.queryByRole('heading', { name: /Olda Alvarez/ })).toBeNull();
  });

  it('signed out: says so plainly', async () => {
    renderPage(
      stubApi({
        listClaims: async () => {
          throw new ApiError({ kind: 'signed_out', message: 'Sign in to Caseload first.' });
        },
        listExports: async () => page([]),
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Sign in to Caseload first.');
  });
});

describe('the popup’s "Open settings" for provider_billing_incomplete', () => {
  it('picks the billing profile when a profile field is missing, else the fees', () => {
    expect(settingsSection(['billingProfile.taxId', 'fees.90834'])).toBe('billing-profile');
    expect(settingsSection(['fees.90834', 'fees.90785'])).toBe('fees');
  });

  it('opens the options page at the section in a tab', async () => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    vi.stubGlobal('browser', fakeBrowser);
    try {
      openSettingsAt('fees');
      expect(create).toHaveBeenCalledWith({ url: fakeBrowser.runtime.getURL('/options.html#fees') });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
