// ICD-10-CM rules of docs/billing.md: shape and normalising, the code set in force on the date of
// service (FY2026 vs FY2027), list checks, and the search API.md describes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDiagnosisCodes, codeSetFor, lookupIcd10, normalizeIcd10, searchIcd10 } from '../../shared/billing/icd10';

const FY26 = '2026-03-15';
const FY27 = '2026-12-01';

function tsvRows(file: string): { code: string; billable: boolean; description: string }[] {
  const text = readFileSync(path.join(__dirname, '../../shared/data/icd10cm', file), 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [code = '', billable, description = ''] = line.split('\t');
      return { code, billable: billable === '1', description };
    });
}

describe('normalizeIcd10', () => {
  it.each([
    ['f411', 'F41.1'],
    ['F411', 'F41.1'],
    ['F41.1', 'F41.1'],
    ['  f41.1\t', 'F41.1'],
    ['F32A', 'F32.A'],
    ['f32.a', 'F32.A'],
    ['z630', 'Z63.0'],
    ['F41', 'F41'],
    ['f41', 'F41'],
    ['Z878901', 'Z87.8901'],
    ['Z87.8901', 'Z87.8901'],
    ['F0150', 'F01.50'],
    ['F01A11', 'F01.A11'],
    ['F41.', null],
    ['F4', null],
    ['F', null],
    ['', null],
    ['   ', null],
    ['41.1', null],
    ['FF1.1', null],
    ['F4.11', null],
    ['F41..1', null],
    ['F41 1', null],
    ['F41-1', null],
    ['F41.12345', null],
    ['F4112345', null],
    ['F41.1!', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeIcd10(input)).toBe(expected);
  });
});

describe('codeSetFor', () => {
  it.each([
    ['2020-01-01', 'FY2026'], // before the shipped sets: the oldest
    ['2025-09-30', 'FY2026'],
    ['2025-10-01', 'FY2026'],
    ['2026-09-30', 'FY2026'],
    ['2026-10-01', 'FY2027'],
    ['2027-09-30', 'FY2027'],
    ['2027-10-01', 'FY2027'], // after the shipped sets: the newest
    ['2031-06-01', 'FY2027'],
  ])('%s → %s', (date, set) => {
    expect(codeSetFor(date)).toBe(set);
  });

  it.each(['2026-02-30', '2026-9-1', '2026-10-01T00:00:00Z', '', '01/10/2026'])('refuses %j', (date) => {
    expect(() => codeSetFor(date)).toThrow(RangeError);
  });
});

describe('the shipped data', () => {
  it.each([
    ['icd10cm-F-Z.tsv', '2026-09-30', 2956],
    ['icd10cm-F-Z-fy2027.tsv', '2026-10-01', 2974],
  ])('%s is what lookupIcd10 answers on %s, row for row', (file, date, count) => {
    const rows = tsvRows(file);
    expect(rows).toHaveLength(count);
    for (const row of rows) expect(lookupIcd10(row.code, date)).toEqual(row);
  });
});

describe('lookupIcd10', () => {
  it('finds a code in any accepted spelling', () => {
    expect(lookupIcd10('f411', FY26)).toEqual({
      code: 'F41.1',
      description: 'Generalized anxiety disorder',
      billable: true,
    });
    expect(lookupIcd10(' F32a', FY26)).toEqual({
      code: 'F32.A',
      description: 'Depression, unspecified',
      billable: true,
    });
  });

  it('reports headers as not billable', () => {
    expect(lookupIcd10('F41', FY26)).toEqual({ code: 'F41', description: 'Other anxiety disorders', billable: false });
  });

  it('is undefined for codes not on the list or not shaped like a code', () => {
    expect(lookupIcd10('F41.2', FY26)).toBeUndefined();
    expect(lookupIcd10('nonsense', FY26)).toBeUndefined();
  });

  it.each([
    ['F64.A', '2026-09-30', undefined],
    ['F64.A', '2026-10-01', { code: 'F64.A', description: 'Gender identity disorder, in remission', billable: true }],
    [
      'Z68.1',
      '2026-09-30',
      { code: 'Z68.1', description: 'Body mass index [BMI] 19.9 or less, adult', billable: true },
    ],
    [
      'Z68.1',
      '2026-10-01',
      { code: 'Z68.1', description: 'Body mass index [BMI] 19.9 or less, adult', billable: false },
    ],
    ['Z68.18', '2026-09-30', undefined],
    [
      'Z68.18',
      '2026-10-01',
      { code: 'Z68.18', description: 'Body mass index [BMI] 18.4 or less, adult', billable: true },
    ],
    ['Z87.890', '2026-09-30', { code: 'Z87.890', description: 'Personal history of sex reassignment', billable: true }],
    [
      'Z87.890',
      '2026-10-01',
      { code: 'Z87.890', description: 'Personal history of sex reassignment', billable: false },
    ],
    [
      'Z29.14',
      '2026-09-30',
      { code: 'Z29.14', description: 'Encounter for prophylactic rabies immune globin', billable: true },
    ],
    [
      'Z29.14',
      '2026-10-01',
      { code: 'Z29.14', description: 'Encounter for prophylactic rabies immune globulin', billable: true },
    ],
  ])('FY2026 vs FY2027: %s on %s', (code, date, expected) => {
    expect(lookupIcd10(code, date)).toEqual(expected);
  });

  it('hands out copies, so a caller cannot change the table', () => {
    const found = lookupIcd10('F41.1', FY26);
    if (found) found.description = 'changed';
    expect(lookupIcd10('F41.1', FY26)?.description).toBe('Generalized anxiety disorder');
  });
});

describe('checkDiagnosisCodes', () => {
  it('normalises a good list and keeps its order', () => {
    expect(checkDiagnosisCodes(['f411', 'F32A', 'z630'], FY26)).toEqual({
      codes: ['F41.1', 'F32.A', 'Z63.0'],
      problems: [],
    });
  });

  it('accepts 12 codes', () => {
    const twelve = [
      'F41.0',
      'F41.1',
      'F41.3',
      'F41.8',
      'F41.9',
      'F32.0',
      'F32.1',
      'F32.2',
      'F32.3',
      'F32.4',
      'F32.5',
      'F32.9',
    ];
    expect(checkDiagnosisCodes(twelve, FY26)).toEqual({ codes: twelve, problems: [] });
  });

  it('refuses 13 codes', () => {
    const thirteen = [
      'F41.0',
      'F41.1',
      'F41.3',
      'F41.8',
      'F41.9',
      'F32.0',
      'F32.1',
      'F32.2',
      'F32.3',
      'F32.4',
      'F32.5',
      'F32.9',
      'F32.A',
    ];
    expect(checkDiagnosisCodes(thirteen, FY26).problems).toEqual([
      { code: '', message: 'A session takes at most 12 diagnosis codes; 13 were given.' },
    ]);
  });

  it('refuses an empty list', () => {
    expect(checkDiagnosisCodes([], FY26)).toEqual({
      codes: [],
      problems: [{ code: '', message: 'At least one diagnosis code is required.' }],
    });
  });

  it('refuses duplicates after normalising', () => {
    expect(checkDiagnosisCodes(['F41.1', 'f411'], FY26)).toEqual({
      codes: ['F41.1', 'F41.1'],
      problems: [{ code: 'F41.1', message: 'F41.1 is listed more than once; list each diagnosis code once.' }],
    });
  });

  it.each([
    ['F99.9', FY27, 'F99.9 is not an ICD-10-CM code in the FY2027 code set.'],
    ['F99.9', FY26, 'F99.9 is not an ICD-10-CM code in the FY2026 code set.'],
    ['f41.2', FY26, 'F41.2 is not an ICD-10-CM code in the FY2026 code set.'],
    ['F64.A', '2026-09-30', 'F64.A is not an ICD-10-CM code in the FY2026 code set; it takes effect on 2026-10-01.'],
    ['F41', FY26, 'F41 is a category, not a billable code; pick a more specific code such as F41.0, F41.1 or F41.3.'],
    ['F32', FY27, 'F32 is a category, not a billable code; pick a more specific code such as F32.0, F32.1 or F32.2.'],
    [
      'F43.1',
      FY26,
      'F43.1 is a subcategory, not a billable code; pick a more specific code such as F43.10, F43.11 or F43.12.',
    ],
    [
      'Z68.1',
      '2026-10-01',
      'Z68.1 is a subcategory, not a billable code; pick a more specific code such as Z68.18 or Z68.19.',
    ],
    [
      'Z87.890',
      '2026-10-01',
      'Z87.890 is a subcategory, not a billable code; pick a more specific code such as Z87.8901, Z87.8902 or Z87.8903.',
    ],
    [
      'F4.1',
      FY26,
      '"F4.1" is not shaped like an ICD-10-CM code (a letter, a digit, a letter or digit, then optionally a dot and up to 4 more, e.g. F41.1).',
    ],
  ])('names %s on %s', (code, date, message) => {
    const { problems } = checkDiagnosisCodes([code], date);
    expect(problems).toEqual([{ code: normalizeIcd10(code) ?? code, message }]);
  });

  it.each([
    ['F64.A', '2026-10-01'],
    ['Z68.1', '2026-09-30'],
    ['Z87.890', '2026-09-30'],
    ['Z68.18', '2026-10-01'],
  ])('accepts %s on %s', (code, date) => {
    expect(checkDiagnosisCodes([code], date).problems).toEqual([]);
  });

  it('reports every problem in input order, keeping unshaped input as typed (trimmed)', () => {
    expect(checkDiagnosisCodes(['f411', ' x1 ', 'F41', 'F41.1', 'F99.9'], FY27)).toEqual({
      codes: ['F41.1', 'x1', 'F41', 'F41.1', 'F99.9'],
      problems: [
        {
          code: 'x1',
          message:
            '"x1" is not shaped like an ICD-10-CM code (a letter, a digit, a letter or digit, then optionally a dot and up to 4 more, e.g. F41.1).',
        },
        {
          code: 'F41',
          message: 'F41 is a category, not a billable code; pick a more specific code such as F41.0, F41.1 or F41.3.',
        },
        { code: 'F41.1', message: 'F41.1 is listed more than once; list each diagnosis code once.' },
        { code: 'F99.9', message: 'F99.9 is not an ICD-10-CM code in the FY2027 code set.' },
      ],
    });
  });
});

describe('searchIcd10', () => {
  const codes = (q: string, serviceDate = FY27, limit?: number) =>
    searchIcd10(q, { serviceDate, limit }).map((r) => r.code);

  it('matches a code-like query by code prefix, billable codes first, then by code', () => {
    expect(codes('F41')).toEqual(['F41.0', 'F41.1', 'F41.3', 'F41.8', 'F41.9', 'F41']);
    expect(codes('f32')).toEqual([
      'F32.0',
      'F32.1',
      'F32.2',
      'F32.3',
      'F32.4',
      'F32.5',
      'F32.81',
      'F32.89',
      'F32.9',
      'F32.A',
      'F32',
      'F32.8',
    ]);
  });

  it('takes the dot as optional and any letter case', () => {
    const expected = ['F43.10', 'F43.11', 'F43.12', 'F43.1'];
    expect(codes('F43.1')).toEqual(expected);
    expect(codes('f431')).toEqual(expected);
    expect(codes(' f43.1 ')).toEqual(expected);
    expect(codes('F43.')).toEqual(codes('F43'));
  });

  it('returns code, description and billable', () => {
    expect(searchIcd10('F41.1', { serviceDate: FY27 })).toEqual([
      { code: 'F41.1', description: 'Generalized anxiety disorder', billable: true },
    ]);
  });

  it('searches the code set in force on the date of service', () => {
    expect(codes('Z68.1', '2026-09-30')).toEqual(['Z68.1']);
    // FY2027 splits Z68.1: the new billable codes come before the header even though it sorts first by code.
    expect(codes('Z68.1', '2026-10-01')).toEqual(['Z68.18', 'Z68.19', 'Z68.1']);
    expect(codes('gender transition', '2026-09-30')).toEqual([]);
    expect(codes('gender transition', '2026-10-01')).toEqual([
      'Z87.8901',
      'Z87.8902',
      'Z87.8903',
      'Z87.8909',
      'Z87.893',
    ]);
  });

  it('otherwise needs every word in the description, in any case and order', () => {
    expect(codes('generalized anxiety')).toEqual(['F41.1']);
    expect(codes('ANXIETY generalized')).toEqual(['F41.1']);
    expect(codes('post traumatic')).toEqual(['F43.10', 'F43.11', 'F43.12', 'F43.1']);
    expect(codes('PTSD')).toEqual(['F43.1']);
    expect(codes('adjustment disorder')).toEqual([
      'F43.20',
      'F43.21',
      'F43.22',
      'F43.23',
      'F43.24',
      'F43.25',
      'F43.29',
      'F43',
      'F43.2',
    ]);
    expect(codes('zebra anxiety')).toEqual([]);
  });

  it('orders billable codes first, each group by code, and stops at 20', () => {
    const found = searchIcd10('disorder', { serviceDate: FY27 });
    expect(found).toHaveLength(20);
    const all = searchIcd10('disorder', { serviceDate: FY27, limit: 10_000 });
    expect(all.length).toBeGreaterThan(20);
    expect(found).toEqual(all.slice(0, 20));
    const firstHeader = all.findIndex((r) => !r.billable);
    expect(all.slice(firstHeader).every((r) => !r.billable)).toBe(true);
    for (const group of [all.slice(0, firstHeader), all.slice(firstHeader)]) {
      const sorted = [...group].sort((a, b) => (a.code < b.code ? -1 : 1));
      expect(group).toEqual(sorted);
    }
    for (const r of all) expect(r.description.toLowerCase()).toContain('disorder');
  });

  it('honours a smaller limit', () => {
    expect(codes('F41', FY27, 2)).toEqual(['F41.0', 'F41.1']);
  });

  it('treats a lone letter as a code prefix', () => {
    expect(codes('z').slice(0, 3)).toEqual(['Z00.00', 'Z00.01', 'Z00.110']);
    expect(codes('z')).toHaveLength(20);
  });

  it('returns nothing for an empty query', () => {
    expect(searchIcd10('  ', { serviceDate: FY27 })).toEqual([]);
  });

  it('defaults to the code set in force today', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(searchIcd10('F41')).toEqual(searchIcd10('F41', { serviceDate: today }));
  });
});
