// ICD-10-CM rules of docs/billing.md: shape and normalising, the fiscal year in force on the date of
// service, how a search query is read, and the checks of a session's codes — against the code
// versions as scripts/gen-icd10.mjs builds them from data/icd10cm (what D1 holds).
import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, manifestations, readYear, versions as buildVersions } from '../../scripts/gen-icd10.mjs';
import {
  checkDiagnosisCodes,
  codesToLookUp,
  fiscalYearOf,
  ICD10CM_FISCAL_YEARS,
  type Icd10Version,
  normalizeIcd10,
  readIcd10Query,
} from '../../shared/billing/icd10';

const FY26 = '2026-03-15';
const FY27 = '2026-12-01';

let all: Icd10Version[] = [];
beforeAll(() => {
  all = buildVersions([...ICD10CM_FISCAL_YEARS]).map((v) => ({
    code: v.code,
    firstFy: v.first_fy,
    lastFy: v.last_fy,
    billable: v.billable,
    manifestation: v.manifestation,
    description: v.description,
  }));
});
/** What the check gets from the database: the whole list serves as "everything looked up". */
const check = (codes: string[], date: string) => checkDiagnosisCodes(codes, date, all);

describe('the shipped years', () => {
  it('ICD10CM_FISCAL_YEARS are the years the newest generated migration loads', () => {
    expect([...ICD10CM_FISCAL_YEARS]).toEqual(MIGRATIONS.at(-1)?.years);
  });

  it('stores each code once per version: fewer rows than two full copies', () => {
    const [a, b] = ICD10CM_FISCAL_YEARS.map((fy) => readYear(fy).length);
    expect(all.length).toBe(98_443);
    expect(all.length).toBeLessThan(a! + b!);
  });
});

describe('manifestation codes (title or heading says "in … diseases classified elsewhere")', () => {
  it.each([
    ['F02.80', true], // Dementia in other diseases classified elsewhere, …
    ['G47.54', true], // Parasomnia in conditions classified elsewhere
    ['M14.60', true], // Charcot's joint, under M14 "Arthropathies in other diseases classified elsewhere"
    ['H36.811', true], // under H36 "Retinal disorders in diseases classified elsewhere"
    ['F54', false], // "… associated with disorders or diseases classified elsewhere"
    ['B95.0', false], // "… as the cause of diseases classified elsewhere" (supplementary, not a manifestation)
    ['F41.1', false],
    ['R45.851', false],
  ])('%s → %s', (code, expected) => {
    expect(manifestations(readYear(2026)).has(code)).toBe(expected);
  });
});

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
    ['Z878901', 'Z87.8901'],
    ['F01A11', 'F01.A11'],
    ['r45851', 'R45.851'],
    ['t7411xa', 'T74.11XA'],
    ['QA0.0101', 'QA0.0101'],
    ['qa00101', 'QA0.0101'],
    ['F41.', null],
    ['F4', null],
    ['F', null],
    ['', null],
    ['41.1', null],
    ['FF1.1', 'FF1.1'], // shaped like QA0.0101 (not a code: the database says so)
    ['1F1', null],
    ['ADHD', null],
    ['F4.11', null],
    ['F41..1', null],
    ['F41 1', null],
    ['F41-1', null],
    ['F41.12345', null],
    ['F41.1!', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeIcd10(input)).toBe(expected);
  });
});

describe('fiscalYearOf', () => {
  it.each([
    ['2020-01-01', 2026], // before the shipped sets: the oldest
    ['2025-09-30', 2026],
    ['2025-10-01', 2026],
    ['2026-09-30', 2026],
    ['2026-10-01', 2027],
    ['2027-09-30', 2027],
    ['2027-10-01', 2027], // after the shipped sets: the newest
    ['2031-06-01', 2027],
  ])('%s → FY%i', (date, fy) => {
    expect(fiscalYearOf(date)).toBe(fy);
  });

  it.each(['2026-02-30', '2026-9-1', '2026-10-01T00:00:00Z', '', '01/10/2026'])('refuses %j', (date) => {
    expect(() => fiscalYearOf(date)).toThrow(RangeError);
  });
});

describe('readIcd10Query', () => {
  it.each([
    ['f41', 'F41'],
    ['F411', 'F41.1'],
    ['f41.1', 'F41.1'],
    ['F43.', 'F43'],
    [' z ', 'Z'],
    ['R4', 'R4'],
    ['t7411xa', 'T74.11XA'],
    ['QA0', 'QA0'],
    ['qa01', 'QA0.1'],
  ])('a code-like query %j is the code prefix %j', (q, prefix) => {
    expect(readIcd10Query(q)).toEqual({ kind: 'code', prefix });
  });

  it.each([
    ['suic ideat', ['suic', 'ideat']],
    ['Generalized  ANXIETY', ['generalized', 'anxiety']],
    ['post-traumatic', ['post', 'traumatic']],
    ['PTSD', ['ptsd']],
    ['ADHD', ['adhd']],
    ['qa', ['qa']],
    ["Alzheimer's", ['alzheimer', 's']],
    ['"anxiety" OR panic*', ['anxiety', 'or', 'panic']],
    ['NEAR(anxiety depression, 2)', ['near', 'anxiety', 'depression', '2']],
    ['description:anxiety -panic ^x', ['description', 'anxiety', 'panic', 'x']],
    ['anxiety anxiety', ['anxiety']],
    ['"', []],
    ['*', []],
    ['-', []],
    ['NEAR(', ['near']],
  ])('otherwise words, letters and digits only: %j → %j', (q, words) => {
    expect(readIcd10Query(q)).toEqual({ kind: 'words', words });
  });
});

describe('codesToLookUp', () => {
  it('normalises the shaped codes once each and skips the rest', () => {
    expect(codesToLookUp(['f411', 'F41.1', 'x', 7, null, 'r45851'])).toEqual(['F41.1', 'R45.851']);
  });
});

describe('checkDiagnosisCodes', () => {
  it('normalises a good list and keeps its order', () => {
    expect(check(['f411', 'F32A', 'z630'], FY26)).toEqual({ codes: ['F41.1', 'F32.A', 'Z63.0'], problems: [] });
  });

  it('takes codes from every chapter, not only F and Z', () => {
    const codes = ['R45.851', 'R41.840', 'G47.00', 'T74.11XA', 'Y07.010', 'QA0.0101'];
    expect(check(codes, FY26)).toEqual({ codes, problems: [] });
  });

  it('refuses 13 codes, and an empty list', () => {
    const thirteen = ['F41.0', 'F41.1', 'F41.3', 'F41.8', 'F41.9', 'F32.0', 'F32.1', 'F32.2', 'F32.3'];
    thirteen.push('F32.4', 'F32.5', 'F32.9', 'F32.A');
    expect(check(thirteen, FY26).problems).toEqual([
      { code: '', message: 'A session takes at most 12 diagnosis codes; 13 were given.' },
    ]);
    expect(check([], FY26).problems).toEqual([{ code: '', message: 'At least one diagnosis code is required.' }]);
  });

  it('refuses duplicates after normalising', () => {
    expect(check(['F41.1', 'f411'], FY26).problems).toEqual([
      { code: 'F41.1', message: 'F41.1 is listed more than once; list each diagnosis code once.' },
    ]);
  });

  it.each([
    ['F99.9', FY27, 'F99.9 is not an ICD-10-CM code in the FY2027 code set.'],
    ['A00.3', FY26, 'A00.3 is not an ICD-10-CM code in the FY2026 code set.'],
    ['F64.A', '2026-09-30', 'F64.A is not an ICD-10-CM code in the FY2026 code set; it takes effect on 2026-10-01.'],
    ['T52.8X1A', FY27, 'T52.8X1A is not an ICD-10-CM code in the FY2027 code set; it was valid until 2026-09-30.'],
    ['F41', FY26, 'F41 is a category, not a billable code; pick a more specific code such as F41.0, F41.1 or F41.3.'],
    [
      'R45.85',
      FY26,
      'R45.85 is a subcategory, not a billable code; pick a more specific code such as R45.850 or R45.851.',
    ],
    [
      'Z68.1',
      '2026-10-01',
      'Z68.1 is a subcategory, not a billable code; pick a more specific code such as Z68.18 or Z68.19.',
    ],
    [
      'F02.80',
      FY26,
      'F02.80 is a manifestation code (Dementia in other diseases classified elsewhere, unspecified severity, without behavioral disturbance, psychotic disturbance, mood disturbance, and anxiety); it is never the first-listed diagnosis: list the underlying condition first.',
    ],
    [
      'F4.1',
      FY26,
      '"F4.1" is not shaped like an ICD-10-CM code (a letter, a digit, a letter or digit, then optionally a dot and up to 4 more, e.g. F41.1).',
    ],
  ])('names %s on %s', (code, date, message) => {
    expect(check([code], date).problems).toEqual([{ code: normalizeIcd10(code) ?? code, message }]);
  });

  it('takes a manifestation code after the underlying condition', () => {
    expect(check(['G30.9', 'F02.80'], FY26).problems).toEqual([]);
  });

  it.each([
    ['F64.A', '2026-10-01'],
    ['Z68.1', '2026-09-30'],
    ['Z87.890', '2026-09-30'],
    ['Z68.18', '2026-10-01'],
  ])('accepts %s on %s', (code, date) => {
    expect(check([code], date).problems).toEqual([]);
  });

  it('a code the database was not asked about is unknown (never guessed)', () => {
    expect(checkDiagnosisCodes(['F41.1'], FY26, []).problems).toEqual([
      { code: 'F41.1', message: 'F41.1 is not an ICD-10-CM code in the FY2026 code set.' },
    ]);
  });
});
