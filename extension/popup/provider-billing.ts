// provider_billing_incomplete in words, for the confirmation form's chunk (not the popup's first view).
import type { ApiFailure } from '../api';
import { ext } from './native';

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

/** The options page's section for what is missing: the billing profile first, else the fees. */
export const settingsSection = (missing: readonly string[]): 'billing-profile' | 'fees' =>
  missing.some((p) => p.startsWith('billingProfile.')) ? 'billing-profile' : 'fees';

/**
 * Opens the options page at that section in a tab. runtime.openOptionsPage() takes no hash, and
 * tabs.create needs no permission for the extension's own page (Chrome and Firefox alike).
 */
export function openSettingsAt(section: 'billing-profile' | 'fees'): void {
  const api = ext();
  void api.tabs.create({ url: api.runtime.getURL(`/options.html#${section}`) });
}
