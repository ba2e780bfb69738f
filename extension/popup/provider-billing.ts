// provider_billing_incomplete in words, for the confirmation form's chunk (not the popup's first view).
import type { ApiFailure } from '../api';

/** A `missing` path in words: `billingProfile.taxId` → "tax ID", `fees.90834` → "a fee for 90834". */
const missingItem = (path: string) =>
  path.startsWith('fees.')
    ? `a fee for ${path.slice(5)}`
    : path
        .replace(/^billingProfile\./, '')
        .replace(/\.|([A-Z])/g, (_, c?: string) => ` ${c ?? ''}`.toLowerCase())
        .replace(/\b(id|npi|edi|zip)\b/g, (w) => w.toUpperCase())
        .trim();

/** The failure with a message naming each missing item (API.md's order: profile paths, then fees). */
export const withProviderBillingMessage = (f: Extract<ApiFailure, { kind: 'api' }>): ApiFailure => ({
  ...f,
  message: `Complete your billing profile and fees in Caseload’s settings, then confirm again. Missing: ${(f.missing ?? []).map(missingItem).join(', ')}.`,
});
