// Note drafts (PUT/GET/DELETE …/note-draft): a progress note that cannot be confirmed yet, kept
// encrypted on the server so that closing the popup loses nothing. Confirming or cancelling the
// session deletes it (domain/confirm.ts, domain/appointments.ts).
import * as appointments from '../db/appointments';
import { auditIfChanged, auditReadOf, providerActor } from '../db/audit';
import * as drafts from '../db/note-drafts';
import { nowIso } from '../platform/clock';
import { notFound } from '../platform/errors';
import { decryptNote, encryptNote } from '../platform/notes-crypto';
import type { Deps, Provider } from './context';
import { invalidState } from './errors';

/** The associated data of a draft's ciphertext: a draft never opens as a note, nor a note as a draft. */
const draftAad = (appointmentId: string) => `draft:${appointmentId}`;

const entry = (provider: Provider, action: string, id: string) => ({
  ...providerActor(provider.id),
  action,
  entityType: 'appointment',
  entityId: id,
});

export async function saveDraft({ data, config }: Deps, provider: Provider, id: string, text: string): Promise<void> {
  const ciphertext = await encryptNote(config.NOTES_KEY, draftAad(id), text);
  const [[saved], [apt]] = await data.writeThenRead(
    [drafts.save(provider.id, id, ciphertext, nowIso()), auditIfChanged(entry(provider, 'note_draft.write', id))],
    [appointments.find(provider.id, id)],
  );
  if (saved?.meta.changes === 1) return;
  if (!apt) throw notFound('Appointment');
  throw invalidState(
    `This session is ${apt.status.replace('_', ' ')}; a note draft is kept only for a scheduled session.`,
  );
}

export async function readDraft({ data, config }: Deps, provider: Provider, id: string) {
  const [draft, apt] = await data.read(
    [drafts.find(provider.id, id), appointments.find(provider.id, id)],
    [auditReadOf(entry(provider, 'note_draft.read', id), 'note_drafts')],
  );
  if (!apt) throw notFound('Appointment');
  if (!draft) throw notFound('Note draft');
  return { text: await decryptNote(config.NOTES_KEY, draftAad(id), draft.text), savedAt: draft.saved_at };
}

export async function deleteDraft({ data }: Deps, provider: Provider, id: string): Promise<void> {
  const [, [apt]] = await data.writeThenRead(
    [drafts.remove(provider.id, id), auditIfChanged(entry(provider, 'note_draft.delete', id))],
    [appointments.find(provider.id, id)],
  );
  if (!apt) throw notFound('Appointment');
}
