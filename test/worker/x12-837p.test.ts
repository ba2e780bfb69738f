// The 837P writer, judged twice: by the independent validator (tools/x12valid — pyx12, reached
// through the X12VALID service binding of vitest.config.ts) for structure, and here for the
// business sense pyx12 does not check (totals, pointers, NPIs, ZIP+4, dates, delimiters in names).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { isValidNpi } from '../../shared/npi';
import {
  splitLegalName,
  write837P,
  type X12Claim,
  type X12Export,
  x12Amount,
  x12Text,
} from '../../worker/domain/x12-837p';

async function validate(file: string): Promise<{ ok: boolean; output: string }> {
  const res = await env.X12VALID.fetch('http://x12valid/', { method: 'POST', body: file });
  return res.json();
}

/** The file as segments of elements (the writer's delimiters: ~ * : ^). */
function segmentsOf(file: string): string[][] {
  return file
    .split('~')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split('*'));
}

const office = {
  line1: '410 NE Broadway St',
  line2: 'Suite 200',
  city: 'Portland',
  state: 'OR',
  postalCode: '97232-1105',
};
const home = { line1: '88 Alder Ln', city: 'Salem', state: 'OR', postalCode: '97301' };

const person: X12Export['billingProvider'] = {
  entity: 'person',
  name: 'Whitfield, Dana',
  npi: '1234567893',
  taxonomyCode: '101YP2500X',
  taxId: { type: 'SSN', value: '123-45-6789' },
  address: office,
};
const organization: X12Export['billingProvider'] = {
  entity: 'organization',
  name: 'Rosewood Counseling LLC',
  npi: '1245319599',
  taxonomyCode: '261QM0801X',
  taxId: { type: 'EIN', value: '12-3456789' },
  address: office,
};

function claim(over: Partial<X12Claim> = {}): X12Claim {
  return {
    claimNumber: 'CL1001',
    frequency: 'original',
    payerClaimNumber: null,
    placeOfService: '11',
    diagnosisCodes: ['F41.1'],
    payer: { name: 'Aetna', payerCode: '60054' },
    subscriber: {
      firstName: 'Ana',
      lastName: 'Lopez',
      memberId: 'W123456789',
      groupNumber: 'GRP-42',
      dateOfBirth: '1990-02-03',
      sex: 'F',
    },
    patient: null,
    address: home,
    renderingProvider: null,
    serviceFacility: null,
    lines: [
      {
        cptCode: '90834',
        modifiers: [],
        units: 1,
        amountCents: 15000,
        diagnosisPointers: [1],
        serviceDate: '2026-11-30',
      },
    ],
    ...over,
  };
}

function file(over: Partial<X12Export> = {}): X12Export {
  return {
    controlNumber: 17,
    exportId: 'exp_01JEXAMPLE',
    createdAt: '2026-12-01T15:04:09.000Z',
    usage: 'test',
    submitter: { id: 'SUB 1234', name: 'Dana Whitfield', contactName: 'Dana Whitfield', phone: '(503) 555-0100' },
    receiver: { id: 'OFFICEALLY', name: 'Office Ally' },
    billingProvider: person,
    claims: [claim()],
    ...over,
  };
}

const child: X12Claim['patient'] = {
  firstName: 'Mia',
  lastName: 'Lopez',
  relationship: 'child',
  dateOfBirth: '2014-06-01',
  sex: 'X',
};
const twelve = [
  'F41.1',
  'F32.1',
  'R45.851',
  'R41.840',
  'G47.00',
  'T74.11XA',
  'Z63.0',
  'F43.10',
  'F90.0',
  'Z91.49',
  'F10.20',
  'Y07.01',
];

const CASES: [string, X12Export][] = [
  ['a client who is the subscriber, office, one line', file()],
  [
    'a child of the subscriber (patient loop), telehealth video at home',
    file({
      claims: [
        claim({
          patient: child,
          subscriber: { ...claim().subscriber, firstName: 'Luis', sex: 'M' },
          placeOfService: '10',
          lines: [{ ...claim().lines[0]!, modifiers: ['95'] }],
        }),
      ],
    }),
  ],
  [
    'telehealth audio-only away from home (POS 02, modifier 93)',
    file({
      claims: [claim({ placeOfService: '02', lines: [{ ...claim().lines[0]!, modifiers: ['93'] }] })],
    }),
  ],
  [
    'twelve diagnoses, pointers to the first four',
    file({
      claims: [claim({ diagnosisCodes: twelve, lines: [{ ...claim().lines[0]!, diagnosisPointers: [1, 2, 3, 4] }] })],
    }),
  ],
  [
    'a 2-hour crisis session: 90839 and 90840 × 2',
    file({
      claims: [
        claim({
          lines: [
            {
              cptCode: '90839',
              modifiers: [],
              units: 1,
              amountCents: 21000,
              diagnosisPointers: [1],
              serviceDate: '2026-11-30',
            },
            {
              cptCode: '90840',
              modifiers: [],
              units: 2,
              amountCents: 20250,
              diagnosisPointers: [1],
              serviceDate: '2026-11-30',
            },
          ],
        }),
      ],
    }),
  ],
  [
    'a replacement claim with the payer claim number',
    file({
      claims: [claim({ claimNumber: 'CL1001R1', frequency: 'replacement', payerClaimNumber: '2026335A00042' })],
    }),
  ],
  [
    'a void claim',
    file({ claims: [claim({ claimNumber: 'CL1001V1', frequency: 'void', payerClaimNumber: '2026335A00042' })] }),
  ],
  [
    'an organization with a group NPI and its rendering therapist',
    file({
      billingProvider: organization,
      claims: [
        claim({
          renderingProvider: {
            firstName: 'Dana',
            lastName: 'Whitfield',
            npi: '1234567893',
            taxonomyCode: '101YP2500X',
          },
        }),
      ],
    }),
  ],
  [
    'an office away from the billing address (service facility)',
    file({
      claims: [
        claim({
          serviceFacility: {
            name: 'Whitfield Therapy',
            address: { line1: '9 Oak St', city: 'Bend', state: 'OR', postalCode: '97701' },
          },
        }),
      ],
    }),
  ],
  [
    'several claims in one file',
    file({
      claims: [
        claim(),
        claim({ claimNumber: 'CL1002', patient: child }),
        claim({ claimNumber: 'CL1003', placeOfService: '10', lines: [{ ...claim().lines[0]!, modifiers: ['95'] }] }),
      ],
    }),
  ],
  [
    'names with the X12 delimiters in them',
    file({
      billingProvider: { ...person, name: 'O*Brien~, Dana:^' },
      claims: [
        claim({
          subscriber: { ...claim().subscriber, firstName: 'Ana~Maria', lastName: 'López*Peña:^' },
          patient: { ...child!, firstName: 'Zoë', lastName: "D'Arcy" },
          address: { line1: '1 A*B St~', city: 'Sä:lem', state: 'OR', postalCode: '97301-0001' },
        }),
      ],
    }),
  ],
  ['a production file', file({ usage: 'production', controlNumber: 999_999_999 })],
];

describe('837P files pass the independent validator (pyx12)', () => {
  it.each(CASES)('%s', { timeout: 30_000 }, async (_name, input) => {
    const text = write837P(input);
    const result = await validate(text);
    expect(result.output).toContain('FILE: OK');
    expect(result.ok).toBe(true);
    assertBusinessSense(input, text);
  });

  it('the validator itself fails a broken file (so a pass means something)', { timeout: 30_000 }, async () => {
    const broken = write837P(file())
      .replace(/SE\*\d+/, 'SE*2')
      .replace('DMG*D8*19900203*F', 'DMG*D8*19900203*X');
    const result = await validate(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/SE count/);
    expect(result.output).toMatch(/Gender/);
  });
});

/** What the validator does not check, asserted on the written file against its input. */
function assertBusinessSense(input: X12Export, text: string): void {
  const segs = segmentsOf(text);
  const ids = segs.map((s) => s[0]);
  // Envelope: control numbers match, ST..SE count right, one interchange.
  const isa = segs[0]!;
  expect(isa[13]).toBe(String(input.controlNumber).padStart(9, '0'));
  expect(segs.at(-1)).toEqual(['IEA', '1', isa[13]]);
  expect(ids.filter((id) => id === 'ISA')).toHaveLength(1);
  const st = ids.indexOf('ST');
  const se = ids.indexOf('SE');
  expect(Number(segs[se]![1])).toBe(se - st + 1);
  expect(isa[15]).toBe(input.usage === 'production' ? 'P' : 'T');
  // ISA/GS/BHT carry the export's instant in UTC.
  expect(isa[9]).toBe('261201');
  expect(isa[10]).toBe('1504');
  // Billing provider: a valid NPI, nine-digit ZIP, tax id digits only.
  const billing = segs[ids.indexOf('NM1', ids.indexOf('PRV'))]!;
  expect(billing.slice(0, 2)).toEqual(['NM1', '85']);
  expect(isValidNpi(billing[9]!)).toBe(true);
  expect(billing[9]).toBe(input.billingProvider.npi);
  const billingN4 = segs[ids.indexOf('N4', ids.indexOf('PRV'))]!;
  expect(billingN4[3]).toMatch(/^\d{9}$/);
  const taxRef = segs.find((s) => s[0] === 'REF' && (s[1] === 'EI' || s[1] === 'SY'))!;
  expect(taxRef[2]).toMatch(/^\d{9}$/);
  // Claims: one CLM per input claim, totals are the sum of their lines, pointers point at codes.
  const clmAt = ids.flatMap((id, i) => (id === 'CLM' ? [i] : []));
  expect(clmAt).toHaveLength(input.claims.length);
  input.claims.forEach((c, n) => {
    const start = clmAt[n]!;
    const end = clmAt[n + 1] ?? se;
    const mine = segs.slice(start, end);
    const clm = mine[0]!;
    const lines = mine.filter((s) => s[0] === 'SV1');
    const sumCents = lines.reduce((sum, s) => sum + Math.round(Number(s[2]) * 100), 0);
    expect(Math.round(Number(clm[2]) * 100)).toBe(sumCents);
    expect(sumCents).toBe(c.lines.reduce((sum, l) => sum + l.amountCents, 0));
    expect(clm[5]).toBe(`${c.placeOfService}:B:${{ original: 1, replacement: 7, void: 8 }[c.frequency]}`);
    const hi = mine.find((s) => s[0] === 'HI')!;
    expect(hi.slice(1)).toEqual(c.diagnosisCodes.map((d, i) => `${i ? 'ABF' : 'ABK'}:${d.replace('.', '')}`));
    for (const sv1 of lines) {
      const pointers = sv1[7]!.split(':').map(Number);
      expect(pointers.length).toBeLessThanOrEqual(4);
      for (const p of pointers) expect(p >= 1 && p <= c.diagnosisCodes.length).toBe(true);
    }
    expect(lines.map((s) => s[4])).toEqual(c.lines.map((l) => String(l.units)));
    for (const dtp of mine.filter((s) => s[0] === 'DTP')) expect(dtp).toEqual(['DTP', '472', 'D8', '20261130']);
    const f8 = mine.find((s) => s[0] === 'REF' && s[1] === 'F8');
    expect(f8?.[2]).toBe(c.frequency === 'original' ? undefined : (c.payerClaimNumber ?? undefined));
    expect(mine.some((s) => s[0] === 'NM1' && s[1] === '82')).toBe(input.billingProvider.entity === 'organization');
    expect(mine.some((s) => s[0] === 'NM1' && s[1] === '77')).toBe(c.serviceFacility !== null);
  });
  // No value carries a delimiter: every segment has the element count its id allows the writer.
  for (const s of segs.slice(1)) for (const el of s) expect(el).not.toMatch(/[~^]/);
}

describe('837P value rules', () => {
  it('amounts are dollars with up to two decimals', () => {
    expect([15000, 16250, 16205, 1, 0].map(x12Amount)).toEqual(['150', '162.5', '162.05', '0.01', '0']);
  });

  it('names lose delimiters and accents and are upper case', () => {
    expect(x12Text('López*Peña:^~')).toBe('LOPEZ PENA');
    expect(x12Text("D'Arcy-Zoë")).toBe("D'ARCY-ZOE");
  });

  it('a person’s legal name "Last, First" is split', () => {
    expect(splitLegalName('Whitfield, Dana')).toEqual({ lastName: 'Whitfield', firstName: ' Dana' });
    expect(splitLegalName('Cher')).toEqual({ lastName: 'Cher', firstName: '' });
  });

  it('a file is the same bytes every time', () => {
    expect(write837P(file())).toBe(write837P(file()));
  });

  it('sex X is sent as U', () => {
    const text = write837P(file({ claims: [claim({ patient: child })] }));
    expect(text).toContain('DMG*D8*20140601*U~');
  });
});
