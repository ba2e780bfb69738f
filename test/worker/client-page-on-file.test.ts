// The page never shows stored sensitive values back (API.md "Client self-service pages"): date of
// birth, phone, street address, member id (its last 4 only), group number and the subscriber's date
// of birth show as "on file", and a blank field keeps what is on file. Whoever holds a forwarded
// link can replace them, never read them.
import { describe, expect, it } from 'vitest';
import { clientRow, field, GOOD, invited, postPage, visit } from './client-page-helpers';
import { call, COMPLETE_BILLING, json, type TestProvider } from './helpers';

/** Everything on file, a policyholder's policy (so the subscriber's date of birth is stored too). */
const ON_FILE = {
  ...COMPLETE_BILLING,
  dateOfBirth: '1985-12-10',
  phone: '(212) 555-0147',
  address: { line1: '77 Hidden Lane', line2: 'Apt 9', city: 'New York', state: 'NY', postalCode: '10001' },
  insurance: {
    payerId: 'pay_aetna',
    memberId: 'W987654321',
    groupNumber: 'GRP-4242',
    relationship: 'child',
    subscriber: { firstName: 'Anne', lastName: 'Byron', dateOfBirth: '1960-05-17' },
  },
};
const SECRETS = ['1985-12-10', '212-555-0147', '2125550147', '77 Hidden Lane', 'W987654321', 'GRP-4242', '1960-05-17'];

/** A client whose provider entered everything, and a page session of theirs. */
async function onFile(billing: Record<string, unknown> = ON_FILE) {
  const { provider, client, path } = await invited();
  const put = await call('PUT', `/v1/clients/${client.id}/billing`, { token: provider.token, body: billing });
  expect(put.status).toBe(200);
  return { provider, client, page: await visit(path) };
}

const billingOf = async (p: TestProvider, id: string) =>
  json(await call('GET', `/v1/clients/${id}/billing`, { token: p.token }));

/** Every field left blank but the ones a claim needs and the page may show (names, city, choices). */
const BLANKS: Record<string, string> = Object.fromEntries(Object.keys(GOOD).map((k) => [k, '']));
const SHOWN = {
  legalFirstName: 'Ada',
  legalLastName: 'Lovelace',
  sex: 'F',
  'address.line2': 'Apt 9',
  'address.city': 'New York',
  'address.state': 'NY',
  'address.postalCode': '10001',
  'insurance.payerId': 'pay_aetna',
  'insurance.relationship': 'child',
  'insurance.subscriber.firstName': 'Anne',
  'insurance.subscriber.lastName': 'Byron',
};

describe('what the page shows', () => {
  it('the page never shows date of birth, phone, street, member id (last 4 only), group number or subscriber date of birth', async () => {
    const { page } = await onFile();
    expect(page.res.status).toBe(200);
    for (const secret of SECRETS) expect(page.html, secret).not.toContain(secret);
    for (const name of [
      'dateOfBirth',
      'phone',
      'address.line1',
      'insurance.memberId',
      'insurance.groupNumber',
      'insurance.subscriber.dateOfBirth',
    ]) {
      const f = field(page.html, name);
      expect(f.control, name).toContain('value=""');
      expect(f.control, name).not.toContain(' required');
      expect(f.describedBy.split(' '), name).toContain(`${f.id}-onfile`);
      expect(page.html, name).toMatch(new RegExp(`id="${f.id}-onfile">On file[^<]*Leave blank to keep it`));
    }
    expect(page.html).toContain('id="f-insurance-memberId-onfile">On file, ending in 4321.');
    expect(page.html).toContain('id="f-phone-onfile">On file.');
    // What is not on the list is still filled in: names, the rest of the address, the choices.
    expect(field(page.html, 'legalLastName').control).toContain('value="Lovelace"');
    expect(field(page.html, 'address.line2').control).toContain('value="Apt 9"');
    expect(field(page.html, 'address.city').control).toContain('value="New York"');
    expect(field(page.html, 'insurance.subscriber.firstName').control).toContain('value="Anne"');
    expect(page.html).toContain('<option value="child" selected>');
  });

  it('a short member id shows as on file without any of its characters', async () => {
    const { page } = await onFile({ ...ON_FILE, insurance: { ...ON_FILE.insurance, memberId: 'AB12' } });
    expect(page.html).toContain('id="f-insurance-memberId-onfile">On file.');
    expect(page.html).not.toContain('AB12');
  });

  it('errors re-render what was typed, never what is on file', async () => {
    const { page } = await onFile();
    const res = await postPage(page.cookie, { ...BLANKS, ...SHOWN, 'address.postalCode': '123', csrf: page.csrf });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(field(html, 'address.postalCode').error).toMatch(/5-digit ZIP/);
    for (const secret of SECRETS) expect(html, secret).not.toContain(secret);
    expect(html).toContain('id="f-insurance-memberId-onfile">On file, ending in 4321.');
  });
});

describe('saving', () => {
  it('a blank field keeps what is on file', async () => {
    const { provider, client, page } = await onFile();
    const before = await billingOf(provider, client.id);
    const res = await postPage(page.cookie, {
      ...BLANKS,
      ...SHOWN,
      'address.city': 'Brooklyn',
      'address.postalCode': '11201',
      csrf: page.csrf,
    });
    expect(res.status).toBe(303);
    const after = await billingOf(provider, client.id);
    expect(after).toEqual({ ...before, address: { ...before.address, city: 'Brooklyn', postalCode: '11201' } });
    expect(after.insurance.subscriber.dateOfBirth).toBe('1960-05-17');
    expect((await clientRow(client.id))?.status).toBe('active');
  });

  it('a value typed in a sensitive field replaces what is on file', async () => {
    const { provider, client, page } = await onFile();
    const res = await postPage(page.cookie, {
      ...BLANKS,
      ...SHOWN,
      phone: '646 555 0199',
      'insurance.memberId': 'z1111',
      csrf: page.csrf,
    });
    expect(res.status).toBe(303);
    const after = await billingOf(provider, client.id);
    expect(after).toMatchObject({
      phone: '646-555-0199',
      dateOfBirth: '1985-12-10',
      insurance: { memberId: 'Z1111', groupNumber: 'GRP-4242' },
    });
  });

  it('an optional value on file (the group number) is removed only when asked', async () => {
    const { provider, client, page } = await onFile();
    const remove = field(page.html, 'insurance.groupNumber').id;
    expect(page.html).toContain(
      `<input type="checkbox" id="${remove}-remove" name="remove" value="insurance.groupNumber">`,
    );
    expect(page.html).toContain(`<label for="${remove}-remove">Remove the group number on file</label>`);
    const body = new URLSearchParams({ ...BLANKS, ...SHOWN, csrf: page.csrf });
    body.append('remove', 'insurance.groupNumber');
    body.append('remove', 'insurance.memberId'); // required: not removable, ignored
    const res = await call('POST', '/c/account', {
      rawBody: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.cookie },
    });
    expect(res.status).toBe(303);
    expect((await billingOf(provider, client.id)).insurance).toMatchObject({
      memberId: 'W987654321',
      groupNumber: null,
    });
  });

  it('what is not on file is still required', async () => {
    // The provider entered the phone and the member id only: those may be left blank, the rest may not.
    const { page } = await onFile({
      phone: '212-555-0147',
      insurance: { memberId: 'W987654321' },
    });
    expect(field(page.html, 'dateOfBirth').control).toContain(' required');
    const res = await postPage(page.cookie, { ...BLANKS, ...SHOWN, 'insurance.relationship': 'self', csrf: page.csrf });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(field(html, 'dateOfBirth').error).toBe('Enter your date of birth');
    expect(field(html, 'address.line1').error).toBe('Enter your street address');
    expect(field(html, 'phone').error).toBeUndefined();
    expect(field(html, 'insurance.memberId').error).toBeUndefined();
  });
});
