// ICD-10-CM diagnosis codes: normalising, validating against the code set in force on the date of service, and search.
import { FY2026_TSV, FY2027_TSV } from './icd10cm-data';

export type CodeSet = 'FY2026' | 'FY2027';

export interface Icd10Code {
  code: string;
  description: string;
  billable: boolean;
}

interface Entry extends Icd10Code {
  compact: string; // the code without its dot, for prefix search
  lower: string; // the description in lower case, for word search
}

interface Table {
  rows: Entry[]; // CMS tabular order
  byCode: Map<string, Entry>;
}

// billing.md: "A code set is in force from 1 October to 30 September." Oldest first.
const CODE_SETS: readonly { set: CodeSet; from: string; to: string; tsv: string }[] = [
  { set: 'FY2026', from: '2025-10-01', to: '2026-09-30', tsv: FY2026_TSV },
  { set: 'FY2027', from: '2026-10-01', to: '2027-09-30', tsv: FY2027_TSV },
];

// billing.md: letter, digit, letter-or-digit, then optionally a dot and 1–4 letters or digits.
const SHAPE = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;
const MAX_CODES = 12;
const SEARCH_LIMIT = 20;

const tables = new Map<CodeSet, Table>();

// Parsed on first use so a Worker or popup that never validates a diagnosis pays nothing at start-up.
function table(set: CodeSet): Table {
  let t = tables.get(set);
  if (t) return t;
  const tsv = CODE_SETS.find((s) => s.set === set)?.tsv ?? '';
  const rows: Entry[] = [];
  const byCode = new Map<string, Entry>();
  for (const line of tsv.split('\n')) {
    const [code = '', billable, description = ''] = line.split('\t');
    const entry: Entry = {
      code,
      description,
      billable: billable === '1',
      compact: code.replace('.', ''),
      lower: description.toLowerCase(),
    };
    rows.push(entry);
    byCode.set(code, entry);
  }
  t = { rows, byCode };
  tables.set(set, t);
  return t;
}

function assertDate(serviceDate: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(serviceDate);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== serviceDate)
    throw new RangeError(`Expected a date of service as YYYY-MM-DD, got "${serviceDate}".`);
}

/**
 * The code set in force on a date of service (YYYY-MM-DD; anything else throws a RangeError).
 * Only FY2026 and FY2027 are shipped. Earlier dates take FY2026: they are past the 30-day
 * confirmation window, so this only matters for old imports, and FY2026 is the nearest set.
 * From 1 October 2027 dates take FY2027 until FY2028 is added to shared/data/icd10cm/: the newest
 * set is the best available, though it would accept codes FY2028 deletes and miss ones it adds.
 */
export function codeSetFor(serviceDate: string): CodeSet {
  assertDate(serviceDate);
  let found = CODE_SETS[0]!;
  for (const s of CODE_SETS) if (serviceDate >= s.from) found = s;
  return found.set;
}

/** 'f411' → 'F41.1', ' F32a ' → 'F32.A', 'Z63.0' → 'Z63.0'; null when the result is not shaped like a code. */
export function normalizeIcd10(input: string): string | null {
  let code = input.trim().toUpperCase();
  if (!code.includes('.') && code.length > 3) code = `${code.slice(0, 3)}.${code.slice(3)}`;
  return SHAPE.test(code) ? code : null;
}

function publicCopy(e: Entry): Icd10Code {
  return { code: e.code, description: e.description, billable: e.billable };
}

/** The code (any accepted spelling) in the code set in force on the date of service, or undefined. */
export function lookupIcd10(code: string, serviceDate: string): Icd10Code | undefined {
  const set = codeSetFor(serviceDate);
  const normal = normalizeIcd10(code);
  const entry = normal === null ? undefined : table(set).byCode.get(normal);
  return entry && publicCopy(entry);
}

export interface DiagnosisCheck {
  /** The input codes normalised, in the order given (an input that cannot be normalised is kept trimmed). */
  codes: string[];
  /** One per problem; a problem with the list as a whole (none, too many) has code ''. */
  problems: { code: string; message: string }[];
}

function listText(codes: string[]): string {
  if (codes.length <= 1) return codes.join('');
  return `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
}

function unknownMessage(code: string, set: CodeSet): string {
  const base = `${code} is not an ICD-10-CM code in the ${set} code set`;
  // A code valid in the neighbouring year is usually a date-of-service mistake; say when it applies.
  const other = CODE_SETS.find((s) => s.set !== set && table(s.set).byCode.has(code));
  if (!other) return `${base}.`;
  return other.from > (CODE_SETS.find((s) => s.set === set)?.from ?? '')
    ? `${base}; it takes effect on ${other.from}.`
    : `${base}; it was valid until ${other.to}.`;
}

function headerMessage(header: Entry, set: CodeSet): string {
  // ICD-10-CM calls a 3-character header a category and a longer one a subcategory.
  const kind = header.code.length === 3 ? 'category' : 'subcategory';
  const examples = table(set)
    .rows.filter((r) => r.billable && r.compact.startsWith(header.compact))
    .slice(0, 3)
    .map((r) => r.code);
  return `${header.code} is a ${kind}, not a billable code; pick a more specific code such as ${listText(examples)}.`;
}

/**
 * Validates a session's diagnosis codes against the code set in force on its date of service
 * (billing.md: 1 to 12 codes, the first is the primary, no duplicates, each on the code list and billable).
 */
export function checkDiagnosisCodes(codes: string[], serviceDate: string): DiagnosisCheck {
  const set = codeSetFor(serviceDate);
  const { byCode } = table(set);
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
  for (const input of codes) {
    const code = normalizeIcd10(input);
    if (code === null) {
      const shown = input.trim();
      normalised.push(shown);
      problems.push({
        code: shown,
        message: `"${shown}" is not shaped like an ICD-10-CM code (a letter, a digit, a letter or digit, then optionally a dot and up to 4 more, e.g. F41.1).`,
      });
      continue;
    }
    normalised.push(code);
    if (seen.has(code)) {
      problems.push({ code, message: `${code} is listed more than once; list each diagnosis code once.` });
      continue;
    }
    seen.add(code);
    const entry = byCode.get(code);
    if (!entry) problems.push({ code, message: unknownMessage(code, set) });
    else if (!entry.billable) problems.push({ code, message: headerMessage(entry, set) });
  }

  return { codes: normalised, problems };
}

// "Looks like a code": the start of the code shape, with the dot optional ("F", "F4", "F41.", "f411").
// A lone letter counts: as a word it would match nearly every description.
const CODE_QUERY = /^[A-Z](?:[0-9](?:[0-9A-Z](?:\.?[0-9A-Z]{0,4})?)?)?$/;

/**
 * API.md: up to 20 codes; a query that looks like a code matches by code prefix (dot optional,
 * any case), otherwise every word must appear in the description (any case, anywhere in it, so a
 * half-typed word matches). Billable codes first, then by code. Without a date of service the code
 * set in force today (UTC) is searched.
 */
export function searchIcd10(q: string, opts: { serviceDate?: string; limit?: number } = {}): Icd10Code[] {
  const limit = opts.limit ?? SEARCH_LIMIT;
  const set = codeSetFor(opts.serviceDate ?? new Date().toISOString().slice(0, 10));
  const query = q.trim();
  if (query === '' || limit <= 0) return [];

  const { rows } = table(set);
  let matches: Entry[];
  const upper = query.toUpperCase();
  if (CODE_QUERY.test(upper)) {
    const prefix = upper.replace('.', '');
    matches = rows.filter((r) => r.compact.startsWith(prefix));
  } else {
    const words = query.toLowerCase().split(/\s+/);
    matches = rows.filter((r) => words.every((w) => r.lower.includes(w)));
  }

  // Plain code-unit order is ICD order: a code before its extensions, digits before letters (F32.9, F32.A).
  matches.sort((a, b) =>
    a.billable !== b.billable ? (a.billable ? -1 : 1) : a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
  );
  return matches.slice(0, limit).map(publicCopy);
}
