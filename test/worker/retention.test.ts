// Retention: what the scheduled job deletes and when (API.md: keys after 24 h, codes, tokens and links
// a week after expiry, delivered bodies), in bounded batches — and the audit log, which it never touches.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createData } from '../../worker/db/data';
import { pruneRetention } from '../../worker/domain/operations';
import worker from '../../worker/index';
import { now, testClock } from '../../worker/platform/clock';
import { addClient, call, makeProvider } from './helpers';

const data = createData(env.DB);
const T0 = Date.parse('2026-12-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const SEC = 1000;
const HOUR = 3600 * SEC;
const DAY = 24 * HOUR;
const fail = (err: unknown) => {
  throw err;
};
const prune = (atMs: number, batch?: number) => pruneRetention(data, new Date(atMs), fail, batch);

async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function idempotencyKey(providerId: string, key: string, createdAt: number, state = 'done') {
  await env.DB.prepare(
    "INSERT INTO idempotency_keys (provider_id, key, request_hash, state, response_status, response_body, created_at) VALUES (?, ?, 'h', ?, 201, '{}', ?)",
  )
    .bind(providerId, key, state, iso(createdAt))
    .run();
}

describe('retention', () => {
  it('idempotency keys are deleted 24 hours after they were saved, not before', async () => {
    const p = await makeProvider();
    await idempotencyKey(p.id, 'old', T0 - DAY - SEC);
    await idempotencyKey(p.id, 'young', T0 - DAY + SEC);
    await prune(T0);
    const left = await env.DB.prepare('SELECT key FROM idempotency_keys WHERE provider_id = ? ORDER BY key')
      .bind(p.id)
      .all<{ key: string }>();
    expect(left.results.map((r) => r.key)).toEqual(['young']);
  });

  it('a running key whose request died is released after 60 seconds', async () => {
    const p = await makeProvider();
    await idempotencyKey(p.id, 'stuck', T0 - 59 * SEC, 'running');
    await prune(T0);
    expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE provider_id = ?', p.id)).toBe(1);
    await prune(T0 + 2 * SEC);
    expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE provider_id = ?', p.id)).toBe(0);
  });

  it('sign-in codes, auth tokens and client links are deleted 7 days after they expire, not before', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    const insert = (expires: number, tag: string) => [
      env.DB.prepare(
        "INSERT INTO sign_in_codes (id, provider_id, code_hash, expires_at, created_at) VALUES (?, ?, 'h', ?, ?)",
      ).bind(`sic_${tag}_${p.id}`, p.id, iso(expires), iso(expires - 600 * SEC)),
      env.DB.prepare(
        'INSERT INTO auth_tokens (token_hash, provider_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
      ).bind(`tok_${tag}_${p.id}`, p.id, iso(expires - 12 * HOUR), iso(expires)),
      env.DB.prepare(
        'INSERT INTO client_links (token_hash, client_id, provider_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ).bind(`lnk_${tag}_${p.id}`, c.id, p.id, iso(expires - 14 * DAY), iso(expires)),
    ];
    await env.DB.batch([...insert(T0 - 7 * DAY - SEC, 'gone'), ...insert(T0 - 7 * DAY + SEC, 'kept')]);
    await prune(T0);
    const ids = async (table: string, col: string) =>
      (
        await env.DB.prepare(`SELECT ${col} AS id FROM ${table} WHERE provider_id = ?`).bind(p.id).all<{ id: string }>()
      ).results
        .map((r) => r.id.split('_'))
        .filter((parts) => parts.length > 2)
        .map((parts) => parts[1]);
    expect(await ids('sign_in_codes', 'id')).toEqual(['kept']);
    expect(await ids('auth_tokens', 'token_hash')).toEqual(['kept']);
    expect(await ids('client_links', 'token_hash')).toEqual(['kept']);
    // The provider's real token (expiring in 12 h) is untouched.
    expect((await call('GET', '/v1/me', { token: p.token })).status).toBe(200);
  });

  it('rate-limit counters and notify records are deleted once their window has passed', async () => {
    const tag = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare('INSERT INTO rate_limits (key, count, expires_at) VALUES (?, 1, ?)').bind(
        `${tag}:ended`,
        iso(T0 - SEC),
      ),
      env.DB.prepare('INSERT INTO rate_limits (key, count, expires_at) VALUES (?, 1, ?)').bind(
        `${tag}:open`,
        iso(T0 + SEC),
      ),
      env.DB.prepare("INSERT INTO notify_sends (id, client_id, provider_id, sent_at) VALUES (?, ?, 'prv_x', ?)").bind(
        `nts_old_${tag}`,
        `cli_${tag}`,
        iso(T0 - HOUR - SEC),
      ),
      env.DB.prepare("INSERT INTO notify_sends (id, client_id, provider_id, sent_at) VALUES (?, ?, 'prv_x', ?)").bind(
        `nts_new_${tag}`,
        `cli_${tag}`,
        iso(T0 - HOUR + SEC),
      ),
    ]);
    await prune(T0);
    const keys = await env.DB.prepare("SELECT key FROM rate_limits WHERE key LIKE ? || '%'")
      .bind(tag)
      .all<{ key: string }>();
    expect(keys.results.map((r) => r.key)).toEqual([`${tag}:open`]);
    const sends = await env.DB.prepare('SELECT id FROM notify_sends WHERE client_id = ?')
      .bind(`cli_${tag}`)
      .all<{ id: string }>();
    expect(sends.results.map((r) => r.id)).toEqual([`nts_new_${tag}`]);
  });

  it('a delivered email still holding its body (a crash before it was blanked) loses the body, keeps its metadata', async () => {
    const id = `eml_${crypto.randomUUID()}`;
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO outbox (id, kind, to_addr, from_addr, subject, text_body, html_body, attachments, status, next_attempt_at, sent_at, created_at)
         VALUES (?, 'welcome', 'a@example.com', 'f@example.com', 'Hello', 'link http://x/c/secret', '<p>secret</p>', '[{"filename":"a"}]', 'sent', ?, ?, ?)`,
      ).bind(id, iso(T0), iso(T0), iso(T0)),
      env.DB.prepare(
        `INSERT INTO outbox (id, kind, to_addr, from_addr, subject, text_body, html_body, status, next_attempt_at, created_at)
         VALUES (?, 'welcome', 'b@example.com', 'f@example.com', 'Hello', 'pending body', '<p>pending</p>', 'pending', ?, ?)`,
      ).bind(`${id}_pending`, iso(T0 + DAY), iso(T0)),
    ]);
    await prune(T0);
    const sent = await env.DB.prepare('SELECT * FROM outbox WHERE id = ?').bind(id).first<Record<string, string>>();
    expect(sent).toMatchObject({
      text_body: '',
      html_body: '',
      attachments: '[]',
      to_addr: 'a@example.com',
      kind: 'welcome',
      status: 'sent',
    });
    expect(sent?.sent_at).toBe(iso(T0));
    // Not yet delivered: its body is what will be sent.
    const pending = await env.DB.prepare('SELECT text_body FROM outbox WHERE id = ?')
      .bind(`${id}_pending`)
      .first<{ text_body: string }>();
    expect(pending?.text_body).toBe('pending body');
  });

  it('the audit log is never pruned: every row survives runs years later, and it still refuses deletes', async () => {
    const p = await makeProvider();
    const c = await addClient(p);
    await call('GET', `/v1/clients/${c.id}`, { token: p.token });
    const before = await count('SELECT count(*) AS n FROM audit_log');
    expect(await count('SELECT count(*) AS n FROM audit_log WHERE provider_id = ?', p.id)).toBeGreaterThanOrEqual(2);
    for (const years of [1, 6, 7, 20]) await prune(now().getTime() + years * 365 * DAY);
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(before);
    await expect(env.DB.prepare('DELETE FROM audit_log WHERE provider_id = ?').bind(p.id).run()).rejects.toThrow(
      /append-only/,
    );
  });

  it('prunes in bounded statements: 250 expired rows go 100 at a time, all in one run', async () => {
    const p = await makeProvider();
    const rows = Array.from({ length: 250 }, (_, i) =>
      env.DB.prepare(
        "INSERT INTO idempotency_keys (provider_id, key, request_hash, state, response_status, response_body, created_at) VALUES (?, ?, 'h', 'done', 201, '{}', ?)",
      ).bind(p.id, `bulk-${i}`, iso(T0 - 2 * DAY)),
    );
    await env.DB.batch(rows);
    const statements: number[] = [];
    const counting = createData(env.DB);
    const write = counting.write.bind(counting);
    counting.write = async (s) => {
      const r = await write(s);
      if (s[0]?.sql.includes('idempotency_keys')) statements.push(r[0]?.meta.changes ?? 0);
      return r;
    };
    const pruned = await pruneRetention(counting, new Date(T0), fail, 100);
    expect(statements.slice(0, 3)).toEqual([100, 100, 50]);
    expect(pruned.idempotency_keys).toBeGreaterThanOrEqual(250);
    expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE provider_id = ?', p.id)).toBe(0);
  });

  it('the cron prunes once an hour, at minute 17, and not in the other minutes', async () => {
    const p = await makeProvider();
    const cron = async (at: string) => {
      testClock.set(at);
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: now(), cron: '* * * * *' }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await idempotencyKey(p.id, 'old', T0 - 2 * DAY);
    await cron('2026-12-01T12:16:00.000Z');
    expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE provider_id = ?', p.id)).toBe(1);
    await cron('2026-12-01T12:17:00.000Z');
    expect(await count('SELECT count(*) AS n FROM idempotency_keys WHERE provider_id = ?', p.id)).toBe(0);
  });
});
