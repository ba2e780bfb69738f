// ICD-10-CM diagnosis codes: the code shape and its normalising, the code set (fiscal year) in force
// on a date of service, how a search query is read, and billing.md's checks of a session's codes
// against the code versions the database holds (worker/db/codes.ts looks them up).

/**
 * The fiscal years shipped in data/icd10cm/ and loaded into D1 (worker/migrations/0008_icd10cm.sql);
 * test/worker/codes.test.ts checks the table holds exactly these. A year runs 1 October to 30
 * September: FY2026 = 2025-10-01 … 2026-09-30.
 */
export const ICD10CM_FISCAL_YEARS = [2026, 2027] as const;

/** One version of a code: in force, unchanged, from `firstFy` to `lastFy`. */
export interface Icd10Version {
  code: string;
  firstFy: number;
  lastFy: number;
  billable: boolean;
  /** billing.md: a manifestation code ("in diseases classified elsewhere") is never first-listed. */
  manifestation: boolean;
  description: string;
}

export interface Icd10Code {
  code: string;
  description: string;
  billable: boolean;
}

// billing.md: a letter, a digit or (QA0, QA1 since FY2026) a letter then a digit, a letter or digit,
// then optionally a dot and 1–4 letters or digits.
const SHAPE = /^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(\.[0-9A-Z]{1,4})?$/;
const MAX_CODES = 12;
export const SEARCH_LIMIT = 20;

function assertDate(serviceDate: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(serviceDate);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== serviceDate)
    throw new RangeError(`Expected a date of service as YYYY-MM-DD, got "${serviceDate}".`);
}

/**
 * The fiscal year whose code set is in force on a date of service (YYYY-MM-DD; anything else throws
 * a RangeError). Earlier dates than the oldest shipped set take it: they are past the 30-day
 * confirmation window, so this only matters for old imports. Dates after the newest set take the
 * newest until the next year's file is added to data/icd10cm/: the best available, though it would
 * accept codes the next year deletes and miss the ones it adds.
 */
export function fiscalYearOf(serviceDate: string): number {
  assertDate(serviceDate);
  const year = Number(serviceDate.slice(0, 4));
  const fy = serviceDate.slice(5) >= '10-01' ? year + 1 : year;
  const first = ICD10CM_FISCAL_YEARS[0];
  const last = ICD10CM_FISCAL_YEARS[ICD10CM_FISCAL_YEARS.length - 1]!;
  return Math.min(Math.max(fy, first), last);
}

const setName = (fy: number) => `FY${fy}`;
/** The first and last day of a fiscal year. */
const firstDay = (fy: number) => `${fy - 1}-10-01`;
const lastDay = (fy: number) => `${fy}-09-30`;

/** 'f411' → 'F41.1', ' F32a ' → 'F32.A', 'qa00101' → 'QA0.0101'; null when the result is not shaped like a code. */
export function normalizeIcd10(input: string): string | null {
  let code = input.trim().toUpperCase();
  if (!code.includes('.') && code.length > 3) code = `${code.slice(0, 3)}.${code.slice(3)}`;
  return SHAPE.test(code) ? code : null;
}

// "Looks like a code": the start of the code shape, with the dot optional ("F", "F4", "F41.", "f411",
// "QA0"). A lone letter counts: as a word it would match a large part of the list. Two letters do not
// ("QA" is not a code yet, and "ca", "of" are words).
const CODE_QUERY = /^[A-Z](?:[0-9](?:[0-9A-Z](?:\.?[0-9A-Z]{0,4})?)?|[A-Z][0-9](?:\.?[0-9A-Z]{0,4})?)?$/;

/** How a search query is read (API.md): a code prefix in the stored dotted form, or the words to find. */
export type Icd10Query = { kind: 'code'; prefix: string } | { kind: 'words'; words: string[] };

export function readIcd10Query(q: string): Icd10Query {
  const query = q.trim();
  const upper = query.toUpperCase();
  if (CODE_QUERY.test(upper)) {
    const compact = upper.replace('.', '');
    return { kind: 'code', prefix: compact.length > 3 ? `${compact.slice(0, 3)}.${compact.slice(3)}` : compact };
  }
  // Words as the full-text index splits them (letters and digits; anything else separates), so a
  // query's quotes, stars, dashes and operators are never syntax: `post-traumatic` is two words.
  const words = query
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  return { kind: 'words', words: [...new Set(words)] };
}

/** The version of a code in force in a fiscal year, among those looked up. */
export function inForce(versions: readonly Icd10Version[], code: string, fy: number): Icd10Version | undefined {
  return versions.find((v) => v.code === code && v.firstFy <= fy && fy <= v.lastFy);
}

export interface DiagnosisCheck {
  /** The input codes normalised, in the order given (an input that cannot be normalised is kept trimmed). */
  codes: string[];
  /** One per problem; a problem with the list as a whole (none, too many) has code ''. */
  problems: { code: string; message: string }[];
}

/** The codes a session's list needs looked up: each shaped input, normalised, once. */
export function codesToLookUp(codes: readonly unknown[]): string[] {
  const found = new Set<string>();
  for (const c of codes) {
    const normal = typeof c === 'string' ? normalizeIcd10(c) : null;
    if (normal !== null) found.add(normal);
  }
  return [...found];
}

function listText(codes: string[]): string {
  if (codes.length <= 1) return codes.join('');
  return `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
}

function unknownMessage(code: string, fy: number, versions: readonly Icd10Version[]): string {
  const base = `${code} is not an ICD-10-CM code in the ${setName(fy)} code set`;
  // A code valid in a neighbouring year is usually a date-of-service mistake; say when it applies.
  const mine = versions.filter((v) => v.code === code);
  const later = mine.filter((v) => v.firstFy > fy).sort((a, b) => a.firstFy - b.firstFy)[0];
  if (later) return `${base}; it takes effect on ${firstDay(later.firstFy)}.`;
  const earlier = mine.filter((v) => v.lastFy < fy).sort((a, b) => b.lastFy - a.lastFy)[0];
  if (earlier) return `${base}; it was valid until ${lastDay(earlier.lastFy)}.`;
  return `${base}.`;
}

function headerMessage(header: Icd10Version, fy: number, versions: readonly Icd10Version[]): string {
  // ICD-10-CM calls a 3-character header a category and a longer one a subcategory.
  const kind = header.code.length === 3 ? 'category' : 'subcategory';
  const examples = versions
    .filter((v) => v.billable && v.code.startsWith(header.code) && v.firstFy <= fy && fy <= v.lastFy)
    .map((v) => v.code)
    .sort()
    .slice(0, 3);
  const pick =
    examples.length > 0 ? `pick a more specific code such as ${listText(examples)}` : 'pick a more specific code';
  return `${header.code} is a ${kind}, not a billable code; ${pick}.`;
}

/**
 * Validates a session's diagnosis codes against the code set in force on its date of service
 * (billing.md: 1 to 12 codes, the first is the primary and never a manifestation code, no
 * duplicates, each on the code list and billable). `versions`: every version of the shaped codes
 * (and, for a header, some billable codes under it), as worker/db/codes.ts `lookup` reads them.
 */
export function checkDiagnosisCodes(
  codes: string[],
  serviceDate: string,
  versions: readonly Icd10Version[],
): DiagnosisCheck {
  const fy = fiscalYearOf(serviceDate);
  const problems: DiagnosisCheck['problems'] = [];
  const normalised: string[] = [];

  if (codes.length === 0) problems.push({ code: '', message: 'At least one diagnosis code is required.' });
  if (codes.length > MAX_CODES) {
    problems.push({
      code: '',
      message: `A session takes at most ${MAX_CODES} diagnosis codes; ${codes.length} were given.`,
    });
  }

  const seen = new Set<string>();
  codes.forEach((input, i) => {
    const code = normalizeIcd10(input);
    if (code === null) {
      const shown = input.trim();
      normalised.push(shown);
      problems.push({
        code: shown,
        message: `"${shown}" is not shaped like an ICD-10-CM code (a letter, a digit, a letter or digit, then optionally a dot and up to 4 more, e.g. F41.1).`,
      });
      return;
    }
    normalised.push(code);
    if (seen.has(code)) {
      problems.push({ code, message: `${code} is listed more than once; list each diagnosis code once.` });
      return;
    }
    seen.add(code);
    const entry = inForce(versions, code, fy);
    if (!entry) problems.push({ code, message: unknownMessage(code, fy, versions) });
    else if (!entry.billable) problems.push({ code, message: headerMessage(entry, fy, versions) });
    else if (i === 0 && entry.manifestation) {
      problems.push({
        code,
        message: `${code} is a manifestation code (${entry.description}); it is never the first-listed diagnosis: list the underlying condition first.`,
      });
    }
  });

  return { codes: normalised, problems };
}
