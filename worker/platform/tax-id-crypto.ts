// The provider's tax id at rest: sealed like progress notes (AES-256-GCM under NOTES_KEY, the same
// key rotation), since a sole proprietor's tax id is their SSN. The provider id is the additional
// authenticated data, so a sealed number copied onto another provider's profile does not open.
import { decryptNote, encryptNote } from './notes-crypto';

const aad = (providerId: string) => `tax_id:${providerId}`;

export const sealTaxId = (secret: string | undefined, providerId: string, digits: string): Promise<string> =>
  encryptNote(secret, aad(providerId), digits);

/** The digits, for the 837P export (REF*EI / REF*SY); never for an API response. */
export const openTaxId = (secret: string | undefined, providerId: string, sealed: string): Promise<string> =>
  decryptNote(secret, aad(providerId), sealed);
