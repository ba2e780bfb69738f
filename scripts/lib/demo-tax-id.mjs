// The demo provider's tax id, sealed for the local database as the Worker seals one
// (worker/platform/tax-id-crypto.ts over notes-crypto.ts: `v1.<key id>.<iv>.<ciphertext+tag>`, base64url,
// AES-256-GCM under the first NOTES_KEY, additional data `tax_id:<provider id>`). The demo seed SQL
// cannot hold it: NOTES_KEY is made per machine. Web Crypto only, so the Worker tests can check that
// the Worker opens what this seals (test/worker/billing-profile.test.ts).

export const DEMO_PROVIDER_ID = 'prv_demo';
/** The demo practice's EIN (made up; 12-3456789 style). */
export const DEMO_EIN = '271234567';

const b64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function fromBase64(b64) {
  const bin = atob(b64.trim().replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
}

export async function sealTaxId(notesKey, providerId, digits) {
  const raw = fromBase64(notesKey.split(',')[0]);
  if (raw.byteLength !== 32) throw new Error('NOTES_KEY must be the base64 of 32 bytes');
  const keyId = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', raw)).slice(0, 8));
  const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(`tax_id:${providerId}`) },
    key,
    new TextEncoder().encode(digits),
  );
  return ['v1', keyId, b64url(iv), b64url(new Uint8Array(sealed))].join('.');
}

/** The statement that gives the seeded demo profile its tax id (once: a re-run keeps the first). */
export async function demoTaxIdSql(notesKey) {
  const sealed = await sealTaxId(notesKey, DEMO_PROVIDER_ID, DEMO_EIN);
  return `UPDATE provider_billing_profiles SET tax_id_type = 'EIN', tax_id_last4 = '${DEMO_EIN.slice(-4)}', tax_id_sealed = '${sealed}' WHERE provider_id = '${DEMO_PROVIDER_ID}' AND tax_id_sealed IS NULL;`;
}
