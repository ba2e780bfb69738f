// Progress notes at rest: AES-256-GCM (Web Crypto) under NOTES_KEY, the key id stored beside the ciphertext.
//
// NOTES_KEY is the base64 of 32 random bytes, or a comma-separated list of them with the current key
// first: new notes are sealed with the first, and any listed key opens the notes sealed under it, so a
// key is rotated by putting the new one in front and dropping the old one once nothing uses it.
// Stored form: `v1.<key id>.<iv>.<ciphertext+tag>` (base64url); the key id is the first 8 bytes of the
// key's SHA-256, so it names the key without revealing it. The appointment id is the additional
// authenticated data: a note copied onto another appointment's row does not open.
import { base64url } from './crypto';

interface NotesKey {
  id: string;
  key: CryptoKey;
}

const VERSION = 'v1';

export class NotesKeyError extends Error {
  override name = 'NotesKeyError';
}

function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** What is wrong with a NOTES_KEY value, for /v1/health (naming the setting, never its value); null if usable. */
export function notesKeyProblem(secret: string | undefined): string | null {
  if (!secret || secret.trim() === '') return 'NOTES_KEY is not set';
  for (const part of secret.split(',')) {
    let raw: Uint8Array;
    try {
      raw = fromBase64(part.trim());
    } catch {
      return 'NOTES_KEY is not valid base64';
    }
    if (raw.byteLength !== 32) return 'NOTES_KEY is not 32 bytes (base64 of 32 random bytes)';
  }
  return null;
}

// Imported keys per secret value; the secret is fixed for an isolate's life, so this is computed once.
const cache = new Map<string, Promise<NotesKey[]>>();

async function importKeys(secret: string | undefined): Promise<NotesKey[]> {
  if (!secret || secret.trim() === '')
    throw new NotesKeyError('NOTES_KEY is not configured: progress notes cannot be stored or read.');
  let keys = cache.get(secret);
  if (!keys) {
    keys = Promise.all(
      secret.split(',').map(async (part) => {
        let raw: Uint8Array;
        try {
          raw = fromBase64(part.trim());
        } catch {
          throw new NotesKeyError('NOTES_KEY is not valid base64.');
        }
        if (raw.byteLength !== 32) throw new NotesKeyError('NOTES_KEY must be 32 bytes (base64 of 32 random bytes).');
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
        const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
        return { id: base64url(digest.slice(0, 8)), key };
      }),
    );
    cache.set(secret, keys);
    keys.catch(() => cache.delete(secret));
  }
  return keys;
}

export async function encryptNote(secret: string | undefined, appointmentId: string, note: string): Promise<string> {
  const [current] = await importKeys(secret);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(appointmentId) },
    current!.key,
    new TextEncoder().encode(note),
  );
  return [VERSION, current!.id, base64url(iv), base64url(new Uint8Array(sealed))].join('.');
}

export async function decryptNote(secret: string | undefined, appointmentId: string, stored: string): Promise<string> {
  const [version, keyId, iv, data] = stored.split('.');
  if (version !== VERSION || !keyId || !iv || !data)
    throw new NotesKeyError('This progress note is not in a known sealed format.');
  const key = (await importKeys(secret)).find((k) => k.id === keyId);
  if (!key) throw new NotesKeyError('The key this progress note was sealed with is no longer configured in NOTES_KEY.');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(iv), additionalData: new TextEncoder().encode(appointmentId) },
    key.key,
    fromBase64(data),
  );
  return new TextDecoder().decode(plain);
}

/** The id of the key new notes are sealed with (tests, and operators checking a rotation). */
export async function currentNotesKeyId(secret: string | undefined): Promise<string> {
  const [current] = await importKeys(secret);
  return current!.id;
}
