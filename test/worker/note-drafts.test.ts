// Note drafts (API.md, Appointments): a progress note that cannot be confirmed yet is kept on the
// server, encrypted like notes and exactly as typed, until the session is confirmed or cancelled.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { call, json, makeProvider } from './helpers';
import { at, confirm, DAY, HOUR, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const DRAFT = '  Client arrived late; SECRET-DRAFT-91c2.\n\tPlan: 😀 breathing 🫁  ';

const draftPath = (id: string) => `/v1/appointments/${id}/note-draft`;

async function put(token: string, id: string, text: unknown) {
  return call('PUT', draftPath(id), { token, body: { text } });
}

describe('note drafts', () => {
  it('a draft is kept exactly as sent (not trimmed) and read back with when it was saved', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    expect((await put(s.p.token, apt.id, DRAFT)).status).toBe(204);
    const res = await call('GET', draftPath(apt.id), { token: s.p.token });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ text: DRAFT, savedAt: at(T0) });

    testClock.set(new Date(T0 + 60_000));
    expect((await put(s.p.token, apt.id, 'second version')).status).toBe(204);
    expect(await json(await call('GET', draftPath(apt.id), { token: s.p.token }))).toEqual({
      text: 'second version',
      savedAt: at(T0 + 60_000),
    });
  });

  it('a draft is stored encrypted, never as text', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    await put(s.p.token, apt.id, DRAFT);
    const row = await env.DB.prepare('SELECT text FROM note_drafts WHERE appointment_id = ?')
      .bind(apt.id)
      .first<{ text: string }>();
    expect(row!.text).not.toContain('SECRET-DRAFT');
    expect(row!.text.startsWith('v1.')).toBe(true);
  });

  it('a session without a draft answers 404; deleting answers 204 either way', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    expect((await call('GET', draftPath(apt.id), { token: s.p.token })).status).toBe(404);
    expect((await call('DELETE', draftPath(apt.id), { token: s.p.token })).status).toBe(204);
    await put(s.p.token, apt.id, 'x');
    expect((await call('DELETE', draftPath(apt.id), { token: s.p.token })).status).toBe(204);
    expect((await call('GET', draftPath(apt.id), { token: s.p.token })).status).toBe(404);
  });

  it('the length limit counts characters (code points): 20,000 emoji pass, 20,001 do not', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    // 20,000 characters in 30,000 UTF-16 units (𝄞 is two), 50 KB of UTF-8: under the 64 KiB body limit.
    const wide = '𝄞'.repeat(10_000) + 'a'.repeat(10_000);
    expect((await put(s.p.token, apt.id, wide)).status).toBe(204);
    const res = await put(s.p.token, apt.id, `${'a'.repeat(20_000)}b`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0].path).toBe('text');
  });

  it('a draft must be text: anything else is a validation error and nothing is saved', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    for (const bad of [null, 42, ['a'], { a: 1 }]) expect((await put(s.p.token, apt.id, bad)).status).toBe(400);
    expect((await call('GET', draftPath(apt.id), { token: s.p.token })).status).toBe(404);
  });

  it('confirming the session deletes its draft', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    await put(s.p.token, apt.id, 'draft');
    expect((await confirm(s, apt.id)).status).toBe(200);
    expect((await call('GET', draftPath(apt.id), { token: s.p.token })).status).toBe(404);
    const left = await env.DB.prepare('SELECT count(*) AS n FROM note_drafts WHERE appointment_id = ?')
      .bind(apt.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it('cancelling the session deletes its draft', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    await put(s.p.token, apt.id, 'draft');
    const res = await call('POST', `/v1/appointments/${apt.id}/cancel`, {
      token: s.p.token,
      body: { reason: 'no_show' },
    });
    expect(res.status).toBe(200);
    const left = await env.DB.prepare('SELECT count(*) AS n FROM note_drafts WHERE appointment_id = ?')
      .bind(apt.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it('a draft for a session that is no longer scheduled: 409 invalid_state', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    await confirm(s, apt.id);
    const res = await put(s.p.token, apt.id, 'too late');
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('invalid_state');
  });

  it("another provider's session: 404 on every verb, and their draft is untouched", async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + HOUR));
    await put(s.p.token, apt.id, 'mine');
    const other = await makeProvider();
    expect((await put(other.token, apt.id, 'theirs')).status).toBe(404);
    expect((await call('GET', draftPath(apt.id), { token: other.token })).status).toBe(404);
    expect((await call('DELETE', draftPath(apt.id), { token: other.token })).status).toBe(404);
    expect((await json(await call('GET', draftPath(apt.id), { token: s.p.token }))).text).toBe('mine');
  });

  it('reads and writes of a draft are in the audit log, without its text', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    await put(s.p.token, apt.id, 'SECRET-DRAFT-AUDIT');
    await call('GET', draftPath(apt.id), { token: s.p.token });
    await call('DELETE', draftPath(apt.id), { token: s.p.token });
    const { results } = await env.DB.prepare('SELECT * FROM audit_log WHERE entity_id = ? ORDER BY id')
      .bind(apt.id)
      .all<Record<string, unknown>>();
    expect(results.map((r) => r.action)).toEqual(
      expect.arrayContaining(['note_draft.write', 'note_draft.read', 'note_draft.delete']),
    );
    expect(JSON.stringify(results)).not.toContain('SECRET-DRAFT');
  });
});
