// API failures as sentences and as inline field errors.
import type { FieldIssue } from '../../shared/schemas/common';
import type { ApiFailure } from '../api';

export type FieldErrors = Record<string, string>;

/** First issue per field; `rename` maps schema paths to the form's field names. */
export function toFieldErrors(
  issues: readonly FieldIssue[] | undefined,
  rename: Record<string, string> = {},
): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues ?? []) {
    const key = rename[issue.path] ?? issue.path.split('.')[0] ?? issue.path;
    out[key] ??= issue.message;
  }
  return out;
}

/** The sentence shown for a failure; specific displays (conflict, billing) add to it. */
export function failureSentence(f: ApiFailure): string {
  if (f.kind !== 'api') return f.message;
  switch (f.code) {
    case 'validation_failed':
      return f.issues?.length ? 'Check the highlighted fields.' : f.message;
    case 'client_exists':
      return 'A client with this email is already on your roster.';
    case 'request_in_progress':
      return 'That request is still being processed. Wait a moment, then try again.';
    default:
      return f.message;
  }
}
