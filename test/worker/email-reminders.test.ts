// The 24-hour reminder: sent by the cron, exactly once per session start, only to notified clients.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { now, testClock } from '../../worker/platform/clock';
import { createData } from '../../worker/db/data';
import { queueReminders } from '../../worker/email/reminders';
import worker from '../../worker/index';
import { newId } from '../../worker/platform/crypto';
import { addClient, makeProvider, mailTo } from './helpers';

const HOUR = 3600_000;

async function cron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: now(), cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** A session straight into D1 (appointments are issue 4's routes; the reminder only reads rows). */
async function session(opts: {
  clientId: string;
  providerId: string;
  inHours: number;
  notified?: boolean;
  status?: string;
  location?: 'office' | 'telehealth';
}) {
  const id = newId('apt');
  const start = new Date(now().getTime() + opts.inHours * HOUR);
  const at = now().toISOString();
  await env.DB.prepare(
    `INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, status, notified_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 53, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      opts.providerId,
      opts.clientId,
      start.toISOString(),
      new Date(start.getTime() + 53 * 60_000).toISOString(),
      opts.location ?? 'office',
      opts.status ?? 'scheduled',
      opts.notified === false ? null : at,
      at,
      at,
    )
    .run();
  return { id, startsAt: start.toISOString() };
}

const reminders = async (email: string) => (await mailTo(email)).filter((m) => m.subject.startsWith('Reminder:'));

let p: Awaited<ReturnType<typeof makeProvider>>;
beforeEach(async () => {
  testClock.set('2026-12-01T12:00:00.000Z');
  p = await makeProvider({ name: 'Dr. Remi Nder' });
});

describe('24-hour reminders', () => {
  it('are sent once for a notified session within 24 hours, even when the cron runs twice', async () => {
    const c = await addClient(p, { timeZone: 'America/Chicago' });
    const s = await session({ clientId: c.id, providerId: p.id, inHours: 20 });
    await cron();
    await cron();
    const got = await reminders(c.email);
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toBe('Reminder: your session with Dr. Remi Nder on December 2, 2026 at 2:00 AM CST');
    const row = await env.DB.prepare('SELECT reminder_sent_at FROM appointments WHERE id = ?')
      .bind(s.id)
      .first<{ reminder_sent_at: string }>();
    expect(row?.reminder_sent_at).toBe('2026-12-01T12:00:00.000Z');
    testClock.advance(HOUR);
    await cron();
    expect(await reminders(c.email)).toHaveLength(1);
  });

  it('are queued once when two crons run at the same time', async () => {
    const c = await addClient(p);
    const s = await session({ clientId: c.id, providerId: p.id, inHours: 3 });
    const db = createData(env.DB);
    const counts = await Promise.all([queueReminders(env, db), queueReminders(env, db), queueReminders(env, db)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    const n = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox WHERE kind = 'session_reminder' AND dedupe_key LIKE ?",
    )
      .bind(`reminder:${s.id}:%`)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });

  it('wait until the session is within 24 hours', async () => {
    const c = await addClient(p);
    await session({ clientId: c.id, providerId: p.id, inHours: 30 });
    await cron();
    expect(await reminders(c.email)).toHaveLength(0);
    testClock.advance(6 * HOUR + 60_000);
    await cron();
    expect(await reminders(c.email)).toHaveLength(1);
  });

  it('skip sessions the client was never told about, cancelled ones, and past ones', async () => {
    const c = await addClient(p);
    await session({ clientId: c.id, providerId: p.id, inHours: 5, notified: false });
    await session({ clientId: c.id, providerId: p.id, inHours: 6, status: 'canceled' });
    await session({ clientId: c.id, providerId: p.id, inHours: -1 });
    await cron();
    expect(await reminders(c.email)).toHaveLength(0);
  });

  it('a moved session gets a reminder for its new start, never two for one start', async () => {
    const c = await addClient(p);
    const s = await session({ clientId: c.id, providerId: p.id, inHours: 10 });
    await cron();
    // Moving it (issue 4 raises the sequence and clears reminder_sent_at) makes a new start to remind of.
    const moved = new Date(now().getTime() + 20 * HOUR).toISOString();
    await env.DB.prepare(
      'UPDATE appointments SET starts_at = ?, ends_at = ?, ics_sequence = 1, reminder_sent_at = NULL WHERE id = ?',
    )
      .bind(moved, new Date(Date.parse(moved) + 53 * 60_000).toISOString(), s.id)
      .run();
    await cron();
    await cron();
    const got = await reminders(c.email);
    expect(got).toHaveLength(2);
    const keys = await env.DB.prepare(
      "SELECT dedupe_key FROM outbox WHERE kind = 'session_reminder' AND to_addr = ? ORDER BY created_at",
    )
      .bind(c.email)
      .all<{ dedupe_key: string }>();
    expect(keys.results.map((r) => r.dedupe_key)).toEqual([
      `reminder:${s.id}:${s.startsAt}`,
      `reminder:${s.id}:${moved}`,
    ]);
    // Clearing the flag again without a move cannot make a second reminder for the same start.
    await env.DB.prepare('UPDATE appointments SET reminder_sent_at = NULL WHERE id = ?').bind(s.id).run();
    await cron();
    expect(await reminders(c.email)).toHaveLength(2);
  });

  it('a telehealth reminder carries the provider’s video link', async () => {
    await env.DB.prepare('UPDATE providers SET telehealth_url = ? WHERE id = ?')
      .bind('https://video.example.com/remi', p.id)
      .run();
    const c = await addClient(p);
    await session({ clientId: c.id, providerId: p.id, inHours: 2, location: 'telehealth' });
    await cron();
    const [m] = await reminders(c.email);
    expect(m?.text).toContain('https://video.example.com/remi');
  });
});
