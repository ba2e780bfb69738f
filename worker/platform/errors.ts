// The API's one error type: thrown anywhere, shaped into the JSON of docs/API.md by app.onError.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../../shared/api-types';
import type { FieldIssue } from '../../shared/schemas/common';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody() {
    return { error: { code: this.code, message: this.message, ...this.extra } };
  }
}

export const notFound = (what = 'That record') => new ApiError(404, 'not_found', `${what} was not found.`);

export const validationFailed = (issues: FieldIssue[]) =>
  new ApiError(400, 'validation_failed', describeIssues(issues), { issues });

function describeIssues(issues: FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'The request is not valid.';
  const where = first.path ? `${first.path}: ` : '';
  return issues.length === 1
    ? `${where}${first.message}`
    : `${where}${first.message} (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})`;
}
