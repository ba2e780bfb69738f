// Building blocks shared by every Valibot schema of the API, and issue flattening.
import * as v from 'valibot';
import { isValidTimeZone } from '../time/zones';

/** One `{ path, message }` per bad field, dot paths (`address.postalCode`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export function toFieldIssues(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  const seen = new Set<string>();
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? '';
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ path, message: issue.message });
  }
  return out;
}

/** Parse with one issue per field; returns the output or the field issues. */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): { ok: true; value: v.InferOutput<S> } | { ok: false; issues: FieldIssue[] } {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, issues: toFieldIssues(result.issues) };
}

/**
 * A JSON object: like `v.object`, but an array is refused (`v.object` takes any `typeof 'object'`, so
 * `[]` would pass as an object with every optional field left out — and a PUT would wipe them). It
 * stays a plain object schema for the OpenAPI document.
 */
export function ObjectSchema<const E extends v.ObjectEntries>(
  entries: E,
  message?: string,
): v.ObjectSchema<E, string | undefined> {
  const schema = v.object(entries, message);
  const run = schema['~run'].bind(schema);
  const guarded: typeof run = (dataset, config) => {
    if (!Array.isArray(dataset.value)) return run(dataset, config);
    // The same issue v.object raises for any other non-object input ("expected Object, received Array").
    v._addIssue(schema, 'type', dataset, config);
    return dataset as never;
  };
  return Object.assign(schema, { '~run': guarded });
}

// Control characters (C0, DEL, C1) and the line and paragraph separators: never in a one-line field.
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * A one-line text field: refuses control characters and line breaks anywhere in the value, before
 * trimming (so a leading or trailing newline is refused, not quietly trimmed away), then trims.
 */
export const OneLineSchema = (typeMessage: string, label: string) =>
  v.pipe(
    v.string(typeMessage),
    v.check((s) => !NOT_ONE_LINE.test(s), `${capitalize(label)} must be one line, without control characters`),
    v.trim(),
  );

export const TextSchema = (label: string, max = 100) =>
  v.pipe(
    OneLineSchema(`${label} must be text`, label),
    v.nonEmpty(`Enter ${label}`),
    v.maxLength(max, `${capitalize(label)} must be at most ${max} characters`),
  );

export const EmailSchema = v.pipe(
  OneLineSchema('Enter an email address', 'the email address'),
  v.nonEmpty('Enter an email address'),
  v.maxLength(254, 'Email addresses are at most 254 characters'),
  v.email('Enter a valid email address'),
);

export const TimeZoneSchema = v.pipe(
  OneLineSchema('Time zone must be text', 'the time zone'),
  v.check(isValidTimeZone, 'Enter an IANA time zone such as America/New_York'),
);

/** API.md's range for any date or instant a request sends. */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '2100-12-31';
const inRange = (date: string) => date >= MIN_DATE && date <= MAX_DATE;
const rangeMessage = (label: string) => `${capitalize(label)} must be between ${MIN_DATE} and ${MAX_DATE}`;

/**
 * Any ISO 8601 instant with an offset (`Z` or `±hh:mm`), normalised to UTC with ms. Four-digit years
 * only (no `+010000`); the date part must be a real calendar date, since Date.parse rolls
 * `02-30` over to March.
 */
export const InstantSchema = (label: string) =>
  v.pipe(
    OneLineSchema(`${capitalize(label)} must be an ISO 8601 date-time`, label),
    v.regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i,
      `${capitalize(label)} must be an ISO 8601 date-time with a time zone offset, e.g. 2026-12-01T15:00:00Z`,
    ),
    v.check(
      (s) => isRealDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)),
      `${capitalize(label)} is not a real date and time`,
    ),
    v.check((s) => inRange(s.slice(0, 10)), rangeMessage(label)),
    v.transform((s) => new Date(Date.parse(s)).toISOString()),
  );

/** `YYYY-MM-DD`, a real calendar date: never rolled over (`2027-02-30` is refused). */
const CalendarDateSchema = (label: string) =>
  v.pipe(
    OneLineSchema(`${capitalize(label)} must be a date (YYYY-MM-DD)`, label),
    v.regex(/^\d{4}-\d{2}-\d{2}$/, `${capitalize(label)} must be a date (YYYY-MM-DD)`),
    v.check(isRealDate, `${capitalize(label)} is not a real calendar date`),
  );

/** A real calendar date between 1900-01-01 and 2100-12-31. */
export const DateSchema = (label: string) => v.pipe(CalendarDateSchema(label), v.check(inRange, rangeMessage(label)));

/**
 * A date of birth: a real date from 1900-01-01, not in the future (said first: a clearer message than
 * the range's). "Today" is today anywhere on Earth (UTC+14), so a baby born today is never refused
 * because the server's UTC date is still yesterday.
 */
export const BirthDateSchema = (label: string) =>
  v.pipe(
    CalendarDateSchema(label),
    v.check(
      (s) => s <= new Date(Date.now() + 14 * 3600_000).toISOString().slice(0, 10),
      `${capitalize(label)} must be today or in the past`,
    ),
    v.check(inRange, rangeMessage(label)),
  );

export function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const IdSchema = (label: string) =>
  v.pipe(
    OneLineSchema(`${capitalize(label)} must be text`, label),
    v.nonEmpty(`Choose ${label}`),
    v.maxLength(64, `${capitalize(label)} is not valid`),
  );

export const ListQuerySchema = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 200'),
      v.transform(Number),
      v.minValue(1, 'limit must be a whole number from 1 to 200'),
      v.maxValue(200, 'limit must be a whole number from 1 to 200'),
    ),
    '50',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(512, 'cursor is not valid'))),
});

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
