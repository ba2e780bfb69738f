// The popup's side of the message map: ask the background, never throw.
import type { Reply, Send } from '../messages';
import { ext } from './native';

/** How long to wait before asking a background that could not be reached once more. */
export const RETRY_AFTER_MS = 200;

const UNREACHABLE = {
  ok: false as const,
  error: {
    kind: 'unreachable' as const,
    message: 'Caseload’s background service did not answer. Close and reopen the popup; nothing you typed was lost.',
  },
};

/**
 * True when the message reached no listener: the background was stopped or starting (a Firefox event
 * page being suspended, a Chrome service worker restarting) as it was sent. Nothing ran, so sending it
 * again is safe; writes carry their Idempotency-Key in the payload anyway.
 */
const notDelivered = (err: unknown) => /receiving end does not exist|could not establish connection/i.test(String(err));

async function ask(message: { type: string; payload: unknown }): Promise<unknown> {
  try {
    return await ext().runtime.sendMessage(message);
  } catch (err) {
    if (!notDelivered(err)) throw err;
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
    return ext().runtime.sendMessage(message);
  }
}

export const sendMessage: Send = async (type, payload) => {
  try {
    const reply = await ask({ type, payload });
    if (reply && typeof reply === 'object' && 'ok' in reply) return reply as Reply<typeof type>;
  } catch {
    // answered below
  }
  return UNREACHABLE;
};
