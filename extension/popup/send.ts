// The popup's side of the message map: ask the background, never throw.
import type { Reply, Send } from '../messages';
import { ext } from './native';

export const sendMessage: Send = async (type, payload) => {
  try {
    const reply: unknown = await ext().runtime.sendMessage({ type, payload });
    if (reply && typeof reply === 'object' && 'ok' in reply) return reply as Reply<typeof type>;
  } catch {
    // answered below
  }
  return {
    ok: false,
    error: {
      kind: 'unreachable',
      message: 'Caseload’s background service did not answer. Close and reopen the popup; nothing you typed was lost.',
    },
  };
};
