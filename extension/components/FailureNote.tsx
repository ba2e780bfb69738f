// An API failure as a sentence, announced to screen readers.
import type { ApiFailure } from '../api';
import { failureSentence } from '../popup/errors';

export function FailureNote({
  failure,
  children,
}: {
  failure: ApiFailure | null;
  children?: preact.ComponentChildren;
}) {
  if (!failure) return null;
  return (
    <div class="failure" role="alert">
      <p>{failureSentence(failure)}</p>
      {children}
    </div>
  );
}
