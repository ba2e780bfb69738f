// The scheduling and confirmation errors of docs/API.md, named once.
import { ApiError } from '../platform/errors';

export const scheduleConflict = (conflicts: string[]) =>
  new ApiError(409, 'schedule_conflict', 'This time overlaps another session on your calendar.', { conflicts });

export const invalidState = (message: string) => new ApiError(409, 'invalid_state', message);

export const notCredentialed = () =>
  new ApiError(409, 'not_credentialed', 'You can schedule sessions once an insurance carrier has approved you.');

export const telehealthNotConfigured = () =>
  new ApiError(
    422,
    'telehealth_not_configured',
    'Add your video link (telehealthUrl in your settings) before scheduling a telehealth session.',
  );

export const alreadyConfirmed = () =>
  new ApiError(409, 'already_confirmed', 'This session is already confirmed; correct it with PATCH …/confirmation.');

export const claimExported = (message: string) => new ApiError(409, 'claim_exported', message);

export const nothingToExport = () =>
  new ApiError(422, 'nothing_to_export', 'No claim is ready to export; every claim is already in a file.');

export const confirmationLocked = (why: string) => new ApiError(409, 'confirmation_locked', why);

export const sessionNotEnded = () =>
  new ApiError(422, 'session_not_ended', 'This session has not ended yet; confirm it once it is over.');

export const confirmationWindowClosed = () =>
  new ApiError(
    422,
    'confirmation_window_closed',
    'This session is past the confirmation window: sessions can be confirmed up to 30 days after they end. Cancel it or mark it a no-show instead.',
  );

export const invalidCode = (messages: string[]) => new ApiError(422, 'invalid_code', messages.join(' '));

export const billingIncomplete = (missing: string[], settingsUrl: string) =>
  new ApiError(
    422,
    'billing_incomplete',
    `The client's billing information is incomplete (missing: ${missing.join(', ')}). Send them their settings link or complete it for them.`,
    { missing, settingsUrl },
  );

export const providerBillingIncomplete = (missing: string[]) =>
  new ApiError(
    422,
    'provider_billing_incomplete',
    `Your billing profile or fee schedule is incomplete (missing: ${missing.join(', ')}). Complete it in your settings, then confirm again.`,
    { missing },
  );

export const payerNotCredentialed = (payerId: string, payerName: string | null) =>
  new ApiError(
    422,
    'payer_not_credentialed',
    `${payerName ?? 'This client’s insurance carrier'} has not approved you as a provider yet, so this session cannot be billed to it. Confirm it once the carrier has approved you.`,
    { payerId },
  );
