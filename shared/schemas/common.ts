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

// Control characters (other than tab/newline in notes) never belong in a name or id.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const TextSchema = (label: string, max = 100) =>
  v.pipe(
    v.string(`${label} must be text`),
    v.trim(),
    v.nonEmpty(`Enter ${label}`),
    v.maxLength(max, `${capitalize(label)} must be at most ${max} characters`),
    v.check(
      (s) => !CONTROL.test(s) && !/[\n\r\t]/.test(s),
      `${capitalize(label)} contains characters that are not allowed`,
    ),
  );

export const EmailSchema = v.pipe(
  v.string('Enter an email address'),
  v.trim(),
  v.nonEmpty('Enter an email address'),
  v.maxLength(254, 'Email addresses are at most 254 characters'),
  v.email('Enter a valid email address'),
);

export const TimeZoneSchema = v.pipe(
  v.string('Time zone must be text'),
  v.trim(),
  v.check(isValidTimeZone, 'Enter an IANA time zone such as America/New_York'),
);

/** Any ISO 8601 instant with an offset (`Z` or `±hh:mm`), normalised to UTC with ms. */
export const InstantSchema = (label: string) =>
  v.pipe(
    v.string(`${capitalize(label)} must be an ISO 8601 date-time`),
    v.trim(),
    v.regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i,
      `${capitalize(label)} must be an ISO 8601 date-time with a time zone offset, e.g. 2026-12-01T15:00:00Z`,
    ),
    v.check((s) => !Number.isNaN(Date.parse(s)), `${capitalize(label)} is not a real date and time`),
    v.transform((s) => new Date(Date.parse(s)).toISOString()),
  );

/** A real calendar date `YYYY-MM-DD`. */
export const DateSchema = (label: string) =>
  v.pipe(
    v.string(`${capitalize(label)} must be a date (YYYY-MM-DD)`),
    v.trim(),
    v.regex(/^\d{4}-\d{2}-\d{2}$/, `${capitalize(label)} must be a date (YYYY-MM-DD)`),
    v.check(isRealDate, `${capitalize(label)} is not a real calendar date`),
  );

/** A date of birth: a real date, in the past, not before 1900. */
export const BirthDateSchema = (label: string) =>
  v.pipe(
    DateSchema(label),
    v.check((s) => s >= '1900-01-01', `${capitalize(label)} must be after 1900`),
    v.check((s) => s < new Date().toISOString().slice(0, 10), `${capitalize(label)} must be in the past`),
  );

export function isRealDate(s: string): boolean {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const IdSchema = (label: string) =>
  v.pipe(
    v.string(`${capitalize(label)} must be text`),
    v.trim(),
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
