// Progress notes: sealed at rest with AES-GCM under NOTES_KEY (key id beside the ciphertext, keys can
// rotate), and readable only from GET /v1/appointments/:id/note — never in any other response, email or row.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import worker from '../../worker/index';
import { currentNotesKeyId, decryptNote, encryptNote } from '../../worker/platform/notes-crypto';
import { call, json } from './helpers';
import { at, confirm, DAY, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const NOTE = 'Discussed panic attacks at work; SECRET-MARKER-7f3a; plan: exposure hierarchy.';
const KEY_B = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe('notes at rest', () => {
  it('stores only ciphertext with the key id, and the note route returns the text', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    expect((await confirm(s, apt.id, { progressNote: NOTE })).status).toBe(200);
    const row = await env.DB.prepare('SELECT progress_note FROM confirmations WHERE appointment_id = ?')
      .bind(apt.id)
      .first<{ progress_note: string }>();
    expect(row!.progress_note).not.toContain('SECRET-MARKER');
    const [version, keyId, iv, data] = row!.progress_note.split('.');
    expect(version).toBe('v1');
    expect(keyId).toBe(await currentNotesKeyId(env.NOTES_KEY));
    expect(iv).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(data!.length).toBeGreaterThan(NOTE.length);

    const res = await call('GET', `/v1/appointments/${apt.id}/note`, { token: s.p.token });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ appointmentId: apt.id, progressNote: NOTE, updatedAt: at(T0) });
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'note.read' AND entity_id = ?",
    )
      .bind(apt.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it('a session without a confirmation has no note: 404', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    expect((await call('GET', `/v1/appointments/${apt.id}/note`, { token: s.p.token })).status).toBe(404);
  });

  it('rotates: a note sealed under the old key still opens once a new key is put first', async () => {
    const sealed = await encryptNote(env.NOTES_KEY, 'apt_1', 'old note');
    const rotated = `${KEY_B},${env.NOTES_KEY}`;
    expect(await decryptNote(rotated, 'apt_1', sealed)).toBe('old note');
    const fresh = await encryptNote(rotated, 'apt_1', 'new note');
    expect(fresh.split('.')[1]).toBe(await currentNotesKeyId(KEY_B));
    expect(fresh.split('.')[1]).not.toBe(sealed.split('.')[1]);
    await expect(decryptNote(KEY_B, 'apt_1', sealed)).rejects.toThrow(/no longer configured/);
  });

  it('is bound to its appointment and tamper-evident; each seal uses a fresh IV', async () => {
    const sealed = await encryptNote(env.NOTES_KEY, 'apt_a', 'note');
    await expect(decryptNote(env.NOTES_KEY, 'apt_b', sealed)).rejects.toThrow();
    const parts = sealed.split('.');
    const flipped = `${parts[0]}.${parts[1]}.${parts[2]}.${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'AB' : 'AA'}`;
    await expect(decryptNote(env.NOTES_KEY, 'apt_a', flipped)).rejects.toThrow();
    expect(await encryptNote(env.NOTES_KEY, 'apt_a', 'note')).not.toBe(sealed);
  });

  it('refuses a missing or malformed key rather than storing plain text', async () => {
    await expect(encryptNote(undefined, 'apt', 'x')).rejects.toThrow(/NOTES_KEY is not configured/);
    await expect(encryptNote(btoa('short'), 'apt', 'x')).rejects.toThrow(/32 bytes/);
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY));
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`http://127.0.0.1:8787/v1/appointments/${apt.id}/confirm`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ cptCode: '90834', diagnosisCodes: ['F41.1'], progressNote: NOTE }),
      }),
      { ...env, NOTES_KEY: undefined },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM confirmations WHERE appointment_id = ?')
      .bind(apt.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });
});

describe('the note never appears outside its route', () => {
  it('not in confirm, correction, get, list, claims, emails, the outbox or the audit log', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - DAY), { notify: true });
    const future = await schedule(s, at(T0 + DAY), { notify: true });
    const bodies: string[] = [];
    const keep = async (res: Response) => {
      const text = await res.text();
      bodies.push(text);
      return text;
    };
    await keep(await confirm(s, apt.id, { progressNote: NOTE }));
    await keep(
      await call('PATCH', `/v1/appointments/${apt.id}/confirmation`, {
        token: s.p.token,
        body: { progressNote: `${NOTE} (corrected)` },
      }),
    );
    await keep(await call('GET', `/v1/appointments/${apt.id}`, { token: s.p.token }));
    await keep(await call('GET', '/v1/appointments', { token: s.p.token }));
    await keep(await call('GET', `/v1/appointments?clientId=${s.clientId}&status=confirmed`, { token: s.p.token }));
    const claims = await keep(await call('GET', '/v1/claims', { token: s.p.token }));
    await keep(await call('GET', `/v1/claims/${JSON.parse(claims).items[0].id}`, { token: s.p.token }));
    await keep(
      await call('PATCH', `/v1/appointments/${future.id}`, { token: s.p.token, body: { durationMinutes: 45 } }),
    );
    await keep(
      await call('POST', `/v1/appointments/${future.id}/cancel`, { token: s.p.token, body: { reason: 'client' } }),
    );
    await keep(await call('GET', '/dev/mail.json'));
    for (const b of bodies) expect(b).not.toContain('SECRET-MARKER');

    const dump = async (sql: string) => JSON.stringify((await env.DB.prepare(sql).bind(s.p.id).all()).results);
    expect(await dump('SELECT * FROM outbox WHERE provider_id = ?')).not.toContain('SECRET-MARKER');
    expect(await dump('SELECT * FROM audit_log WHERE provider_id = ?')).not.toContain('SECRET-MARKER');
    expect(await dump('SELECT * FROM claims WHERE provider_id = ?')).not.toContain('SECRET-MARKER');
    expect(await dump('SELECT * FROM confirmations WHERE provider_id = ?')).not.toContain('SECRET-MARKER');

    // While the note route has it.
    expect(await keep(await call('GET', `/v1/appointments/${apt.id}/note`, { token: s.p.token }))).toContain(
      'SECRET-MARKER',
    );
  });
});
