// The outbox: written atomically with its change, claimed before sending, retried with backoff,
// failed visibly after the last try, retryable by operations, and fast enough for 1,000 a run.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { now, testClock } from '../../worker/platform/clock';
import { createData } from '../../worker/db/data';
import { runBatch } from '../../worker/db/batch';
import { backoffMs, drainOutbox, enqueueEmail, MAX_ATTEMPTS } from '../../worker/email/outbox';
import { type EmailTransport, type OutgoingEmail, PermanentEmailError } from '../../worker/email/types';
import worker from '../../worker/index';
import { ADMIN, call, json, mailTo, makeProvider, uniqueEmail } from './helpers';

const db = createData(env.DB);

/** A transport that records what it was asked to send, after an optional delay or failure. */
function recorder(opts: { delayMs?: number; failTimes?: number; permanent?: boolean; always?: boolean } = {}) {
  const sent: OutgoingEmail[] = [];
  let calls = 0;
  const transport: EmailTransport = {
    name: 'recorder',
    async send(email) {
      calls++;
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.permanent) throw new PermanentEmailError('422 invalid recipient');
      if (opts.always || calls <= (opts.failTimes ?? 0)) throw new Error('503 upstream unavailable');
      sent.push(email);
    },
  };
  return { transport, sent, calls: () => calls };
}

async function queue(n: number, tag = 'bulk'): Promise<string[]> {
  const statements = Array.from({ length: n }, (_, i) =>
    enqueueEmail(env, {
      kind: 'test',
      to: `${tag}${i}@example.com`,
      subject: `Hello ${i}`,
      text: 't',
      html: '<p>h</p>',
    }),
  );
  for (let i = 0; i < statements.length; i += 200) await runBatch(env.DB, statements.slice(i, i + 200));
  const { results } = await env.DB.prepare("SELECT id FROM outbox WHERE to_addr LIKE ? || '%'")
    .bind(tag)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

const row = (id: string) => env.DB.prepare('SELECT * FROM outbox WHERE id = ?').bind(id).first<Record<string, any>>();

beforeEach(async () => {
  // Storage is shared by the tests of a file: every test starts from an empty queue.
  await env.DB.batch([env.DB.prepare('DELETE FROM outbox'), env.DB.prepare('DELETE FROM dev_mailbox')]);
});

describe('atomicity', () => {
  it('a batch that fails leaves neither the change nor its email, and nothing is ever sent', async () => {
    const p = await makeProvider();
    const email = uniqueEmail('rolledback');
    // The route's own statements, with one more that fails at the end of the same batch.
    const failing = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === 'batch') {
            return (stmts: D1PreparedStatement[]) =>
              target.batch([...stmts, target.prepare('INSERT INTO no_such_table VALUES (1)')]);
          }
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('http://127.0.0.1:8787/v1/clients', {
        method: 'POST',
        headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ firstName: 'Roll', lastName: 'Back', email, notify: true }),
      }),
      failing,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    const clients = await env.DB.prepare('SELECT count(*) AS n FROM clients WHERE email = ?')
      .bind(email)
      .first<{ n: number }>();
    const emails = await env.DB.prepare('SELECT count(*) AS n FROM outbox WHERE to_addr = ?')
      .bind(email)
      .first<{ n: number }>();
    const links = await env.DB.prepare('SELECT count(*) AS n FROM client_links WHERE provider_id = ?')
      .bind(p.id)
      .first<{ n: number }>();
    expect([clients?.n, emails?.n, links?.n]).toEqual([0, 0, 0]);
    await drainOutbox(env, db);
    expect(await mailTo(email)).toHaveLength(0);
  });

  it('a successful change and its email are saved together and delivered once', async () => {
    const p = await makeProvider();
    const email = uniqueEmail('together');
    const res = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'To', lastName: 'Gether', email },
    });
    expect(res.status).toBe(201);
    const r = await env.DB.prepare("SELECT status, attempts FROM outbox WHERE to_addr = ? AND kind = 'welcome'")
      .bind(email)
      .first();
    expect(r).toEqual({ status: 'sent', attempts: 1 });
    await drainOutbox(env, db);
    expect(await mailTo(email)).toHaveLength(1);
  });
});

describe('claiming', () => {
  it('two drains at once deliver every email exactly once', async () => {
    const ids = await queue(60, 'pair');
    const t = recorder({ delayMs: 2 });
    const [a, b] = await Promise.all([
      drainOutbox(env, db, { transport: t.transport }),
      drainOutbox(env, db, { transport: t.transport }),
    ]);
    expect(a.sent + b.sent).toBe(60);
    expect(t.sent.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(new Set(t.sent.map((m) => m.id)).size).toBe(60);
    const { results } = await env.DB.prepare('SELECT status, attempts FROM outbox').all<{
      status: string;
      attempts: number;
    }>();
    expect(results.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('five drains racing over the same rows still send each once', async () => {
    await queue(250, 'race');
    const t = recorder();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => drainOutbox(env, db, { transport: t.transport })),
    );
    expect(results.reduce((s, r) => s + r.sent, 0)).toBe(250);
    expect(new Set(t.sent.map((m) => m.id)).size).toBe(250);
    expect(t.sent).toHaveLength(250);
  });

  it('a row whose drain died mid-send is taken again once its lease runs out, not before', async () => {
    const [id] = await queue(1, 'lease');
    await env.DB.prepare("UPDATE outbox SET status = 'sending', attempts = 1, lease_until = ? WHERE id = ?")
      .bind(new Date(now().getTime() + 60_000).toISOString(), id)
      .run();
    const t = recorder();
    await drainOutbox(env, db, { transport: t.transport });
    expect(t.sent).toHaveLength(0);
    testClock.advance(61_000);
    await drainOutbox(env, db, { transport: t.transport });
    expect(t.sent.map((m) => m.id)).toEqual([id]);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 2, lease_until: null });
  });

  it('sends 1,000 due emails in one run', async () => {
    const ids = await queue(1000, 'thousand');
    const t = recorder();
    const started = Date.now();
    const result = await drainOutbox(env, db, { transport: t.transport });
    const ms = Date.now() - started;
    expect(result).toEqual({ sent: 1000, failed: 0, retried: 0 });
    expect(new Set(t.sent.map((m) => m.id))).toEqual(new Set(ids));
    const left = await env.DB.prepare("SELECT count(*) AS n FROM outbox WHERE status != 'sent'").first<{ n: number }>();
    expect(left?.n).toBe(0);
    // Wall time here includes local D1 I/O; the run itself is a few dozen statements, not thousands.
    expect(ms).toBeLessThan(20_000);
  }, 60_000);
});

describe('retries', () => {
  it('a transport that fails three times then succeeds delivers exactly once, with backoff between tries', async () => {
    const [id] = await queue(1, 'flaky');
    const t = recorder({ failTimes: 3 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const r = await drainOutbox(env, db, { transport: t.transport });
      expect(r).toEqual({ sent: 0, failed: 0, retried: 1 });
      const after = await row(id!);
      expect(after).toMatchObject({ status: 'pending', attempts: attempt, last_error: '503 upstream unavailable' });
      // Not due again before its backoff…
      await drainOutbox(env, db, { transport: t.transport });
      expect(t.calls()).toBe(attempt);
      // …and due right after it.
      testClock.advance(backoffMs(attempt));
    }
    expect(await drainOutbox(env, db, { transport: t.transport })).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(t.sent.map((m) => m.id)).toEqual([id]);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 4, last_error: null });
    testClock.advance(24 * 3600_000);
    await drainOutbox(env, db, { transport: t.transport });
    expect(t.sent).toHaveLength(1);
  });

  it('backoff grows exponentially and is capped', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 120_000, 480_000, 1_920_000]);
    expect(backoffMs(20)).toBe(6 * 3600_000);
  });

  it('a transport that never works ends failed after the last try: kept, listed, and retryable', async () => {
    const [id] = await queue(1, 'dead');
    const broken = recorder({ always: true });
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const r = await drainOutbox(env, db, { transport: broken.transport });
      expect(r.retried + r.failed).toBe(1);
      testClock.advance(backoffMs(i));
    }
    expect(broken.calls()).toBe(MAX_ATTEMPTS);
    expect(await row(id!)).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      last_error: '503 upstream unavailable',
      subject: 'Hello 0',
    });
    // Failed rows are never picked up again by themselves.
    testClock.advance(7 * 24 * 3600_000);
    await drainOutbox(env, db, { transport: broken.transport });
    expect(broken.calls()).toBe(MAX_ATTEMPTS);

    const list = await call('GET', '/admin/outbox?status=failed', { token: ADMIN });
    expect(list.status).toBe(200);
    const body = await json(list);
    expect(body.items).toEqual([
      expect.objectContaining({
        id,
        status: 'failed',
        to: 'dead0@example.com',
        attempts: MAX_ATTEMPTS,
        lastError: '503 upstream unavailable',
      }),
    ]);
    expect(JSON.stringify(body)).not.toContain('<p>h</p>'); // no bodies in the operations view

    // Retry: back in the queue and delivered (by the mailbox transport, right after the request).
    const retry = await call('POST', `/admin/outbox/${id}/retry`, { token: ADMIN });
    expect(retry.status).toBe(200);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await mailTo('dead0@example.com')).toHaveLength(1);
    const again = await call('POST', `/admin/outbox/${id}/retry`, { token: ADMIN });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('invalid_state');
  });

  it('a permanent refusal fails at once, without burning through the retries', async () => {
    const [id] = await queue(1, 'refused');
    const t = recorder({ permanent: true });
    expect(await drainOutbox(env, db, { transport: t.transport })).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(await row(id!)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'PermanentEmailError: 422 invalid recipient',
    });
  });
});

describe('operations routes', () => {
  it('need the admin token, validate status, 404 an unknown id', async () => {
    expect((await call('GET', '/admin/outbox?status=failed')).status).toBe(401);
    expect((await call('GET', '/admin/outbox?status=failed', { token: 'wrong-token' })).status).toBe(401);
    const p = await makeProvider();
    expect((await call('GET', '/admin/outbox', { token: p.token })).status).toBe(401);
    const bad = await call('GET', '/admin/outbox?status=lost', { token: ADMIN });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.issues[0].path).toBe('status');
    const missing = await call('POST', '/admin/outbox/eml_nope/retry', { token: ADMIN });
    expect(missing.status).toBe(404);
  });

  it('pages through the list newest first', async () => {
    await queue(5, 'page');
    await env.DB.prepare("UPDATE outbox SET status = 'failed'").run();
    const first = await json(await call('GET', '/admin/outbox?status=failed&limit=3', { token: ADMIN }));
    expect(first.items).toHaveLength(3);
    const second = await json(
      await call('GET', `/admin/outbox?status=failed&limit=3&cursor=${first.nextCursor}`, { token: ADMIN }),
    );
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i: { id: string }) => i.id)).size).toBe(5);
  });
});

describe('no transport configured', () => {
  it('keeps emails queued and health says so', async () => {
    const prod = { ...env, ENVIRONMENT: 'production', EMAIL_TRANSPORT: '' };
    const [id] = await queue(1, 'unconfigured');
    expect(await drainOutbox(prod, db)).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 0 });
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('http://127.0.0.1:8787/v1/health'), prod, ctx);
    await waitOnExecutionContext(ctx);
    expect(await res.json()).toEqual({ ok: true, db: 'ok', email: 'not_configured' });
  });
});

describe('what the outbox keeps (API.md: a body only until delivery; no code or token in the operations view or a log)', () => {
  it('a delivered email keeps only its metadata: bodies and attachments are blanked, the local mailbox copy stays', async () => {
    const p = await makeProvider();
    const email = uniqueEmail('kept');
    const res = await call('POST', '/v1/clients', { token: p.token, body: { firstName: 'Ke', lastName: 'Pt', email } });
    expect(res.status).toBe(201);
    const r = await env.DB.prepare('SELECT * FROM outbox WHERE to_addr = ?')
      .bind(email)
      .first<Record<string, unknown>>();
    expect(r).toMatchObject({
      kind: 'welcome',
      status: 'sent',
      to_addr: email,
      text_body: '',
      html_body: '',
      attachments: '[]',
    });
    expect(r?.sent_at).toEqual(expect.any(String));
    expect(r?.created_at).toEqual(expect.any(String));
    // The development mailbox is the recipient's own copy: it keeps the whole message.
    const [mail] = await mailTo(email);
    expect(mail?.text).toMatch(/\/c\/[A-Za-z0-9_-]{43}/);
  });

  it('an email not yet delivered keeps its body for the next try (and a session invite its attachment)', async () => {
    const [id] = await queue(1, 'later');
    await drainOutbox(env, db, { transport: recorder({ always: true }).transport });
    expect(await row(id!)).toMatchObject({ status: 'pending', text_body: 't', html_body: '<p>h</p>' });
  });

  it('a transport error that echoes the message back never puts a link, token, code or address in lastError or the view', async () => {
    const [id] = await queue(1, 'echo');
    const token = 'Qm9ndXNUb2tlbi1mb3ItdGVzdHMtb25seS0xMjM0NTY3';
    const echo: EmailTransport = {
      name: 'echo',
      async send() {
        throw new Error(
          `Resend answered 422: {"message":"bad body: Your code is 482913. Open http://127.0.0.1:8787/c/${token} or /c/${token}, reply to ada@example.com"}`,
        );
      },
    };
    await drainOutbox(env, db, { transport: echo });
    const stored = (await row(id!))?.last_error as string;
    expect(stored).toMatch(/^Resend answered 422/);
    for (const secret of [token, '482913', 'ada@example.com', '127.0.0.1:8787/c/'])
      expect(stored).not.toContain(secret);
    const list = await json(await call('GET', '/admin/outbox?status=pending', { token: ADMIN }));
    const text = JSON.stringify(list);
    for (const secret of [token, '482913', 'ada@example.com']) expect(text).not.toContain(secret);
  });

  it('the operations view of delivered sign-in and welcome emails shows no code, link or token', async () => {
    const p = await makeProvider();
    const c = await call('POST', '/v1/clients', {
      token: p.token,
      body: { firstName: 'Vi', lastName: 'Ew', email: uniqueEmail('view') },
    });
    expect(c.status).toBe(201);
    expect((await call('POST', '/v1/auth/code', { body: { email: p.email } })).status).toBe(202);
    const [code] = await mailTo(p.email);
    const digits = /\b(\d{6})\b/.exec(code!.text)?.[1];
    expect(digits).toBeDefined();
    const view = JSON.stringify(await json(await call('GET', '/admin/outbox?status=sent', { token: ADMIN })));
    expect(view).not.toMatch(/\/c\/[A-Za-z0-9_-]{20,}/);
    expect(view).not.toContain('<p');
    const rows = await env.DB.prepare(
      "SELECT text_body || html_body || attachments AS b FROM outbox WHERE status = 'sent'",
    ).all<{
      b: string;
    }>();
    for (const r of rows.results) {
      expect(r.b).toBe('[]');
    }
  });
});

describe("the Worker's logs", () => {
  it('an unexpected error is logged by kind, without a link token, code, email or quoted value', async () => {
    const p = await makeProvider();
    const token = 'Qm9ndXNUb2tlbi1mb3ItdGVzdHMtb25seS0xMjM0NTY3';
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const broken = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === 'batch')
            return () =>
              Promise.reject(
                new Error(
                  `D1_ERROR: failed near http://127.0.0.1:8787/c/${token} /c/${token} code 482913 for ada@example.com 'Lovelace'`,
                ),
              );
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    try {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request('http://127.0.0.1:8787/v1/clients', {
          method: 'POST',
          headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ firstName: 'A', lastName: 'B', email: uniqueEmail() }),
        }),
        broken,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      expect(res.status).toBe(500);
      const logged = spy.mock.calls.map((args) => args.join(' ')).join('\n');
      expect(logged).toContain('unhandled error');
      for (const secret of [token, '482913', 'ada@example.com', 'Lovelace', '/c/Q'])
        expect(logged).not.toContain(secret);
    } finally {
      spy.mockRestore();
    }
  });
});
