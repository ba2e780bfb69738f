// Opaque list cursors: the sort key of the last item, base64url JSON.
import { ApiError } from '../platform/errors';

export function encodeCursor(key: unknown[]): string {
  return btoa(unescape(encodeURIComponent(JSON.stringify(key))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const json = decodeURIComponent(escape(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))));
    const key = JSON.parse(json) as unknown;
    if (Array.isArray(key) && key.length === length && key.every((k) => typeof k === 'string')) return key as string[];
  } catch {
    // fall through
  }
  throw new ApiError(400, 'validation_failed', 'cursor: This cursor is not valid; start again without one.', {
    issues: [{ path: 'cursor', message: 'This cursor is not valid; start again without one' }],
  });
}
