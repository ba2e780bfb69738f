// API.md, notify: at most 3 emails per client in any hour from the two notify routes together
// (client and appointment); more is 429 rate_limited with retry-after. Emails sent by creating a
// client or an appointment with `notify` are not counted. A replay of an Idempotency-Key never gets
// here (the middleware answers it), so it is never counted or refused.
import type { Statement } from '../db/batch';
import * as notifySends from '../db/notify-sends';
import { NOTIFY_WINDOW_MS } from '../db/retention';
import { now } from '../platform/clock';
import { newId } from '../platform/crypto';
import { ApiError } from '../platform/errors';

export const NOTIFY_MAX_PER_HOUR = 3;

/** The start of the sliding window that ends now. */
export const windowStart = () => new Date(now().getTime() - NOTIFY_WINDOW_MS).toISOString();

/** 429 if the window (the sends in it, oldest first) is already full, with the seconds until its oldest leaves it. */
export function refuseIfFull(sentAts: string[]): void {
  if (sentAts.length < NOTIFY_MAX_PER_HOUR) return;
  const oldest = Date.parse(sentAts[sentAts.length - NOTIFY_MAX_PER_HOUR]!);
  const retryAfter = Math.max(1, Math.ceil((oldest + NOTIFY_WINDOW_MS - now().getTime()) / 1000));
  throw new ApiError(
    429,
    'rate_limited',
    `This client has already been emailed ${NOTIFY_MAX_PER_HOUR} times in the last hour; try again in ${Math.ceil(retryAfter / 60)} minutes.`,
    {},
    { 'retry-after': String(retryAfter) },
  );
}

/** After the conditional insert was skipped: the window was full when the batch ran. */
export function rateLimitedNow(sentAts: string[]): ApiError {
  try {
    refuseIfFull(sentAts);
  } catch (err) {
    return err as ApiError;
  }
  // Full a moment ago and not now (its oldest send just left the hour): try again at once.
  return new ApiError(
    429,
    'rate_limited',
    'This client was just emailed several times; try again.',
    {},
    { 'retry-after': '1' },
  );
}

/** The conditional record of this send and its guard, for the email's own batch. */
export function countedSend(clientId: string, providerId: string, at: string): Statement[] {
  const id = newId('nts');
  return [
    notifySends.recordIfUnder({ id, clientId, providerId, at }, windowStart(), NOTIFY_MAX_PER_HOUR),
    notifySends.recordedGuard(id),
  ];
}
