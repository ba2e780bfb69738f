// The confirm form's safety net for its note draft: while a form is open the popup holds a port to the
// background and posts each unsaved change of the note over it; when the popup closes (the port disconnects —
// which Chrome and Firefox report reliably, unlike a closing page's own events) the background sends what was
// still unsaved to the API. Held in memory only, never in extension storage.
import * as v from 'valibot';
import type { ApiClient } from '../api';
import { NoteDraftSchema } from '../../shared/schemas/appointment';

export const NOTE_DRAFT_PORT = 'note-draft';

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
export const DraftPortMessageSchema = v.variant('type', [
  /** The note as typed, not saved yet. */
  v.object({ type: v.literal('pending'), id: Id, text: NoteDraftSchema.entries.text }),
  /** The popup saved this text itself: nothing to do for it on close. */
  v.object({ type: v.literal('settled'), id: Id, text: NoteDraftSchema.entries.text }),
]);
export type DraftPortMessage = v.InferInput<typeof DraftPortMessageSchema>;

interface PortLike {
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

/** Watches one popup's port; resolves once what was pending at the disconnect has been sent. */
export function watchDraftPort(
  port: PortLike,
  api: Pick<ApiClient, 'saveNoteDraft' | 'deleteNoteDraft'>,
): Promise<void> {
  const pending = new Map<string, string>();
  port.onMessage.addListener((message) => {
    const m = v.safeParse(DraftPortMessageSchema, message);
    if (!m.success) return;
    if (m.output.type === 'pending') pending.set(m.output.id, m.output.text);
    else if (pending.get(m.output.id) === m.output.text) pending.delete(m.output.id);
  });
  return new Promise((resolve) => {
    port.onDisconnect.addListener(() => {
      const sends = [...pending].map(([id, text]) =>
        (text ? api.saveNoteDraft(id, text) : api.deleteNoteDraft(id)).catch(() => undefined),
      );
      pending.clear();
      void Promise.all(sends).then(() => resolve());
    });
  });
}
