// The confirm form's progress note, kept as a draft on the server (PUT/GET/DELETE …/note-draft through the
// background), never in extension storage: saved ~1 s after typing stops, at once when the form is left or
// the popup closes (flush), and read back when the session is opened again.
import { signal } from '@preact/signals';
import type { DraftPortMessage } from '../background/note-draft-port';
import type { ModelContext } from './model-context';
import { ext } from './native';

export const DRAFT_DEBOUNCE_MS = 1000;

export type DraftStatus =
  | { kind: 'none' }
  | { kind: 'saved' }
  | { kind: 'restored' }
  | { kind: 'offline' }
  | { kind: 'failed'; message: string };

/** The port the background watches (background/note-draft-port.ts); null where there is none (tests). */
export interface DraftChannel {
  post(message: DraftPortMessage): void;
}

export function openDraftChannel(): DraftChannel | null {
  try {
    const port = ext().runtime.connect({ name: 'note-draft' }); // NOTE_DRAFT_PORT, not imported: it would bring valibot
    return { post: (m) => port.postMessage(m) };
  } catch {
    return null;
  }
}

export function createNoteDrafts(ctx: ModelContext, channel: DraftChannel | null = null) {
  /** What the form shows under the note; changes only when a save ends, never on each keystroke. */
  const status = signal<DraftStatus>({ kind: 'none' });
  /** The text the server holds for each session, as far as this popup knows ('' = none). */
  const onServer = new Map<string, string>();
  /** Typed but not sent yet, per session. */
  const unsent = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The session whose status is on screen. */
  let shown: string | null = null;

  function send(id: string, text: string): void {
    unsent.delete(id);
    if ((onServer.get(id) ?? '') === text) return;
    const previous = onServer.get(id) ?? '';
    onServer.set(id, text);
    // The message is posted before the first await, so a closing popup still hands it to the background.
    const reply = text ? ctx.send('noteDraft.save', { id, text }) : ctx.send('noteDraft.delete', { id });
    void reply.then((r) => {
      if (r.ok) {
        channel?.post({ type: 'settled', id, text });
        if (shown === id) status.value = text ? { kind: 'saved' } : { kind: 'none' };
        return;
      }
      // Not kept there after all: the next change or flush tries again.
      if (onServer.get(id) === text) onServer.set(id, previous);
      if (unsent.get(id) === undefined && onServer.get(id) !== text) unsent.set(id, text);
      ctx.onFailure(r.error);
      if (shown === id)
        status.value =
          r.error.kind === 'unreachable' ? { kind: 'offline' } : { kind: 'failed', message: r.error.message };
    });
  }

  /** Sends every change still waiting; called when the form is left and when the popup hides or closes. */
  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    for (const [id, text] of [...unsent]) send(id, text);
  }

  return {
    status,
    /** The note changed: saved once typing has stopped for a second. */
    changed(id: string, text: string): void {
      shown = id;
      unsent.set(id, text);
      // The background holds it too, and sends it should the popup close before it is saved here.
      if ((onServer.get(id) ?? '') !== text) channel?.post({ type: 'pending', id, text });
      clearTimeout(timer);
      timer = setTimeout(flush, DRAFT_DEBOUNCE_MS);
    },
    flush,
    /** The server's draft for the session, or null; `shown` becomes this session. */
    async load(id: string): Promise<string | null> {
      shown = id;
      status.value = { kind: 'none' };
      const r = await ctx.send('noteDraft.get', { id });
      if (!r.ok) {
        ctx.onFailure(r.error);
        return null;
      }
      if (!r.data) return null;
      // Typed meanwhile: what was typed wins and is saved over it.
      if (!unsent.has(id)) onServer.set(id, r.data.text);
      if (shown === id) status.value = { kind: 'restored' };
      return r.data.text;
    },
    /** The session is confirmed or resolved: the API deleted its draft. */
    forget(id: string): void {
      unsent.delete(id);
      onServer.delete(id);
      if (shown === id) status.value = { kind: 'none' };
    },
    /** Whether the server is known to hold this text for the session (nothing to fetch or send). */
    knows(id: string): boolean {
      return onServer.has(id);
    },
  };
}

export type NoteDrafts = ReturnType<typeof createNoteDrafts>;

/** The status under the note, in words. */
export function draftStatusText(s: DraftStatus): string {
  switch (s.kind) {
    case 'saved':
      return 'Draft saved';
    case 'restored':
      return 'Draft restored from your last visit';
    case 'offline':
      return 'Draft not saved — offline. It is sent when you are back online and type again.';
    case 'failed':
      return `Draft not saved: ${s.message}`;
    default:
      return '';
  }
}
