// The popup's messages to the background: an answer passed through, a background that could not be
// reached asked once more (a Firefox event page suspended as the message left), anything else an
// "unreachable" failure rather than a throw.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RETRY_AFTER_MS, sendMessage } from '../../extension/popup/send';

function backgroundAnswering(...answers: (unknown | Error)[]) {
  const sent: unknown[] = [];
  const sendMessageFn = vi.fn(async (message: unknown) => {
    sent.push(message);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next;
  });
  vi.stubGlobal('browser', { runtime: { sendMessage: sendMessageFn } });
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('sendMessage', () => {
  test('passes the background’s reply through', async () => {
    const sent = backgroundAnswering({ ok: true, data: { apiBase: 'x', provider: null } });
    expect(await sendMessage('auth.status', {})).toEqual({ ok: true, data: { apiBase: 'x', provider: null } });
    expect(sent).toEqual([{ type: 'auth.status', payload: {} }]);
  });

  test('asks once more, after a pause, when no background received the message', async () => {
    vi.useFakeTimers();
    const sent = backgroundAnswering(new Error('Could not establish connection. Receiving end does not exist.'), {
      ok: true,
      data: null,
    });
    const reply = sendMessage('auth.requestCode', { email: 'a@example.com' });
    await vi.advanceTimersByTimeAsync(RETRY_AFTER_MS - 1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await reply).toEqual({ ok: true, data: null });
    expect(sent).toEqual([
      { type: 'auth.requestCode', payload: { email: 'a@example.com' } },
      { type: 'auth.requestCode', payload: { email: 'a@example.com' } },
    ]);
  });

  test('a second miss, or any other failure, is "unreachable" and is not sent again', async () => {
    vi.useFakeTimers();
    const missed = new Error('Could not establish connection. Receiving end does not exist.');
    let sent = backgroundAnswering(missed, missed, { ok: true, data: null });
    const twice = sendMessage('auth.status', {});
    await vi.advanceTimersByTimeAsync(RETRY_AFTER_MS);
    expect(await twice).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(sent).toHaveLength(2);

    // Delivered, then lost on the way back: it may have run, so it is not repeated.
    sent = backgroundAnswering(new Error('Message manager disconnected'), { ok: true, data: null });
    expect(await sendMessage('auth.status', {})).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(sent).toHaveLength(1);

    sent = backgroundAnswering(undefined);
    expect(await sendMessage('auth.status', {})).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
  });
});
