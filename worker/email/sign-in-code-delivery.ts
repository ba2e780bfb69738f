// The live sign-in code, sealed and unsealed. It is kept sealed (AES-256-GCM under NOTES_KEY through
// platform/notes-crypto, with `sign_in_codes:<id>` as the additional data, so a sealed code opens only
// as that code and never as a progress note) so that asking again re-sends the same code. The outbox
// holds the code email with slots; the code is filled in here at delivery and goes only to the
// transport. A code that was used, died or expired before delivery is not sent at all.
import * as auth from '../db/auth';
import type { Data } from '../db/data';
import type { OutboxRow } from '../db/outbox';
import { now } from '../platform/clock';
import type { Config } from '../platform/config';
import { decryptNote, encryptNote } from '../platform/notes-crypto';
import { PermanentEmailError } from './types';

export const SIGN_IN_KIND = 'sign_in_code';
export const CODE_SLOT = '{{sign-in-code}}';
export const MINUTES_SLOT = '{{sign-in-minutes}}';

const aad = (codeId: string) => `sign_in_codes:${codeId}`;

export const sealCode = (config: Pick<Config, 'NOTES_KEY'>, codeId: string, code: string) =>
  encryptNote(config.NOTES_KEY, aad(codeId), code);

export type Filled = { text: string; html: string } | Error;

/** For each sign-in email among `rows`, its text and HTML with the live code put in (or why not). */
export async function fillSignInCodes(
  config: Pick<Config, 'NOTES_KEY'>,
  data: Data,
  rows: OutboxRow[],
): Promise<Map<string, Filled>> {
  const out = new Map<string, Filled>();
  const codeEmails = rows.filter((r) => r.kind === SIGN_IN_KIND && r.text_body.includes(CODE_SLOT));
  if (codeEmails.length === 0) return out;
  const t = now();
  const providerIds = [...new Set(codeEmails.map((r) => r.provider_id ?? ''))];
  const live = new Map<string, { id: string; code_sealed: string; expires_at: string }>();
  // Newest first: a provider has one live code, but take the newest should two ever overlap.
  for (const c of await data.one(auth.liveSealedCodes(providerIds, t.toISOString())))
    if (!live.has(c.provider_id)) live.set(c.provider_id, c);
  for (const row of codeEmails) {
    const code = live.get(row.provider_id ?? '');
    if (!code) {
      out.set(row.id, new PermanentEmailError('The sign-in code was used or expired before this email went out.'));
      continue;
    }
    try {
      const plain = await decryptNote(config.NOTES_KEY, aad(code.id), code.code_sealed);
      const minutes = String(Math.max(1, Math.ceil((Date.parse(code.expires_at) - t.getTime()) / 60_000)));
      const fill = (s: string) => s.replaceAll(CODE_SLOT, plain).replaceAll(MINUTES_SLOT, minutes);
      out.set(row.id, { text: fill(row.text_body), html: fill(row.html_body) });
    } catch (err) {
      // A key problem (NOTES_KEY missing or rotated away): not sent, tried again later.
      out.set(row.id, err instanceof Error ? err : new Error('sealed code could not be opened'));
    }
  }
  return out;
}
