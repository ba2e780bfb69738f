// One form submission: a busy flag against double clicks and an Idempotency-Key that is reused
// when the same body is sent again after a failure that may not have reached the API.
import { signal } from '@preact/signals';
import type { ApiFailure } from '../api';

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export function createSubmission(newKey: () => string = newIdempotencyKey) {
  let last: { key: string; body: string } | null = null;
  const busy = signal<string | null>(null);
  return {
    busy,
    /** The key for this body: the previous one when retrying the same body, else a fresh one. */
    keyFor(body: unknown): string {
      const text = JSON.stringify(body);
      if (last?.body !== text) last = { key: newKey(), body: text };
      return last.key;
    },
    /** After an answer the API certainly gave (success or a 4xx), the next send is a new submission. */
    settle(failure: ApiFailure | null): void {
      const transient =
        failure !== null &&
        (failure.kind === 'unreachable' ||
          (failure.kind === 'api' && (failure.status >= 500 || failure.code === 'request_in_progress')));
      if (!transient) last = null;
    },
  };
}

export type Submission = ReturnType<typeof createSubmission>;
