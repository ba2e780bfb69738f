// What every popup form model is given by createAppState.
import type { ReadonlySignal } from '@preact/signals';
import type { ApiFailure } from '../api';
import type { Send } from '../messages';

export interface ModelContext {
  send: Send;
  now: () => Date;
  newKey: () => string;
  /** The provider's IANA time zone (the browser's until signed in). */
  timeZone: ReadonlySignal<string>;
  /** A polite status message for screen readers and eyes. */
  announce: (message: string) => void;
  /** Every failure passes here; a signed-out one sends the popup back to sign-in. */
  onFailure: (failure: ApiFailure) => void;
}
