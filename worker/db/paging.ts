// Keyset paging: opaque cursors (the sort key of the last item, base64url JSON) and the page tail
// every list shares — fetch limit + 1, return limit, and a cursor only when there is more.
import type { Page } from '../../shared/api-types';
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

/** The page of `rows` (fetched with limit + 1), mapped, with the cursor of its last row's key. */
export function pageOf<R, T>(rows: R[], limit: number, key: (row: R) => unknown[], map: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
