// Sign-in's protections (issue 12, API.md "Sign-in"): codes never in a subject or in plaintext at
// rest, the same code re-sent, the hourly caps per address, per account and per network address,
// and an unknown email taking the same steps as a known one.
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { testClock } from '../../worker/platform/clock';
import { decryptNote } from '../../worker/platform/notes-crypto';
import { call, json, mailTo, makeProvider, uniqueEmail } from './helpers';

const MIN = 60_000;
let ipSeq = 0;
/** A network address of the test's own, so one test's attempts never count in another's. */
const ip = () => ({ 'cf-connecting-ip': `198.51.${100 + (ipSeq >> 8)}.${ipSeq++ & 255}` });

const requestCode = (email: string, headers = ip()) => call('POST', '/v1/auth/code', { body: { email }, headers });
const exchange = (email: string, code: string, headers = ip()) =>
  call('POST', '/v1/auth/token', { body: { email, code }, headers });
const codesIn = (mails: { text: string }[]) => mails.map((m) => /sign-in code is (\d{6})/.exec(m.text)?.[1]);
const codeMails = async (email: string) => (await mailTo(email)).filter((m) => /sign-in code/i.test(m.subject));
const otherThan = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');

describe('sign-in codes at rest and in email', () => {
  it('the code email’s subject never contains the code', async () => {
    const p = await makeProvider();
    expect((await requestCode(p.email)).status).toBe(202);
    const [mail] = await codeMails(p.email);
    const code = codesIn([mail!])[0]!;
    expect(code).toMatch(/^\d{6}$/);
    expect(mail!.subject).toBe('Your Caseload sign-in code');
    expect(mail!.subject).not.toMatch(/\d/);
    expect(mail!.html).toContain(code);
  });

  it('asking again re-sends the same code, still valid 10 minutes from its first issue', async () => {
    const p = await makeProvider();
    await requestCode(p.email);
    testClock.advance(6 * MIN);
    await requestCode(p.email);
    const mails = await codeMails(p.email);
    expect(mails).toHaveLength(2);
    const [second, first] = codesIn(mails);
    expect(second).toBe(first);
    expect(mails[0]!.text).toContain('4 more minutes');
    // Only one code exists, and asking again did not move its expiry.
    const rows = await env.DB.prepare('SELECT expires_at, created_at FROM sign_in_codes WHERE provider_id = ?')
      .bind(p.id)
      .all<{ expires_at: string; created_at: string }>();
    expect(rows.results).toHaveLength(1);
    expect(Date.parse(rows.results[0]!.expires_at) - Date.parse(rows.results[0]!.created_at)).toBe(10 * MIN);
    testClock.advance(4 * MIN + 1000);
    expect((await exchange(p.email, first!)).status).toBe(401);
    // Once it has expired, asking again makes a new one that works.
    await requestCode(p.email);
    const fresh = codesIn(await codeMails(p.email))[0]!;
    expect((await exchange(p.email, fresh)).status).toBe(200);
  });

  it('the live code is stored encrypted, never in plaintext, and dropped once used', async () => {
    const p = await makeProvider();
    await requestCode(p.email);
    const code = codesIn(await codeMails(p.email))[0]!;
    const row = await env.DB.prepare('SELECT id, code_sealed, code_hash FROM sign_in_codes WHERE provider_id = ?')
      .bind(p.id)
      .first<{ id: string; code_sealed: string; code_hash: string }>();
    expect(row!.code_sealed).toMatch(/^v1\./);
    expect(row!.code_sealed).not.toContain(code);
    expect(row!.code_hash).not.toContain(code);
    // Sealed under NOTES_KEY for this code's id only.
    expect(await decryptNote(env.NOTES_KEY, `sign_in_codes:${row!.id}`, row!.code_sealed)).toBe(code);
    await expect(decryptNote(env.NOTES_KEY, 'sign_in_codes:sic_other', row!.code_sealed)).rejects.toThrow();
    // Never in the outbox: not in the subject, the text or the HTML kept there.
    const outbox = await env.DB.prepare('SELECT subject, text_body, html_body FROM outbox WHERE to_addr = ?')
      .bind(p.email)
      .all<{ subject: string; text_body: string; html_body: string }>();
    expect(outbox.results.length).toBeGreaterThan(0);
    for (const r of outbox.results) expect(`${r.subject}${r.text_body}${r.html_body}`).not.toContain(code);

    expect((await exchange(p.email, code)).status).toBe(200);
    const used = await env.DB.prepare('SELECT code_sealed FROM sign_in_codes WHERE id = ?')
      .bind(row!.id)
      .first<{ code_sealed: string | null }>();
    expect(used!.code_sealed).toBeNull();
  });

  it('an expired code’s sealed copy is deleted by the cron', async () => {
    const p = await makeProvider();
    await requestCode(p.email);
    testClock.advance(10 * MIN + 1000);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const row = await env.DB.prepare('SELECT code_sealed FROM sign_in_codes WHERE provider_id = ?')
      .bind(p.id)
      .first<{ code_sealed: string | null }>();
    expect(row!.code_sealed).toBeNull();
  });

  it('a code that dies from wrong tries loses its sealed copy and is not re-sent', async () => {
    const p = await makeProvider();
    await requestCode(p.email);
    const code = codesIn(await codeMails(p.email))[0]!;
    for (let i = 0; i < 5; i++) await exchange(p.email, otherThan(code, i));
    const dead = await env.DB.prepare('SELECT code_sealed FROM sign_in_codes WHERE provider_id = ?')
      .bind(p.id)
      .first<{ code_sealed: string | null }>();
    expect(dead!.code_sealed).toBeNull();
    await requestCode(p.email);
    const fresh = codesIn(await codeMails(p.email))[0]!;
    expect((await exchange(p.email, fresh)).status).toBe(200);
  });
});

describe('code emails per address', () => {
  it('a sixth code email in an hour is not sent (still 202); after the hour one is', async () => {
    const p = await makeProvider();
    for (let i = 0; i < 6; i++) {
      const res = await requestCode(p.email);
      expect(res.status).toBe(202);
      expect(await json(res)).toEqual({});
    }
    expect(await codeMails(p.email)).toHaveLength(5);
    testClock.advance(60 * MIN + 1000);
    expect((await requestCode(p.email)).status).toBe(202);
    expect(await codeMails(p.email)).toHaveLength(6);
  });

  it('an unknown email gets the same answers and nothing is sent', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 6; i++) expect((await requestCode(ghost)).status).toBe(202);
    expect(await mailTo(ghost)).toHaveLength(0);
  });
});

/** Calls the app with a D1 that records every statement prepared before the response. */
async function statementsOf(path: string, body: unknown, headers: Record<string, string>) {
  const seen: string[] = [];
  let open = true;
  const DB = new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'prepare')
        return (q: string) => {
          if (open) seen.push(q);
          return value.call(target, q);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`http://127.0.0.1:8787${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
    { ...env, DB },
    ctx,
  );
  open = false;
  await waitOnExecutionContext(ctx);
  // The delivery started after the response (waitUntil) is the same call for both; leave it out.
  return {
    status: res.status,
    trips: res.headers.get('x-d1-round-trips'),
    statements: seen.filter((q) => !/^update "outbox"/i.test(q)),
  };
}

describe('no account enumeration', () => {
  it('an unknown email takes the same steps as a known one (round trips and statements)', async () => {
    const p = await makeProvider();
    const ghost = uniqueEmail('ghost');
    const known = await statementsOf('/v1/auth/code', { email: p.email }, ip());
    const unknown = await statementsOf('/v1/auth/code', { email: ghost }, ip());
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.trips).toBe('2');
    expect(unknown.trips).toBe(known.trips);
    expect(known.statements.length).toBeGreaterThanOrEqual(7); // 4 reads, then 3 writes
    expect(unknown.statements).toEqual(known.statements);
    // Asking again (a re-send for the known email) is still the same steps.
    const knownAgain = await statementsOf('/v1/auth/code', { email: p.email }, ip());
    const unknownAgain = await statementsOf('/v1/auth/code', { email: ghost }, ip());
    expect(unknownAgain.statements).toEqual(knownAgain.statements);
    expect(codesIn(await codeMails(p.email))).toHaveLength(2);
    // A wrong code, too.
    const wrongKnown = await statementsOf('/v1/auth/token', { email: p.email, code: '000000' }, ip());
    const wrongUnknown = await statementsOf('/v1/auth/token', { email: ghost, code: '000000' }, ip());
    expect(wrongKnown.status).toBe(401);
    expect(wrongUnknown.status).toBe(401);
    expect(wrongUnknown.statements).toEqual(wrongKnown.statements);
  });
});

describe('wrong codes per account', () => {
  it('the 10th wrong code locks the account for an hour even with the right code', async () => {
    const p = await makeProvider();
    await requestCode(p.email);
    let code = codesIn(await codeMails(p.email))[0]!;
    // Wrong codes across codes: 5 kill the first code, a new one, then 5 more.
    for (let i = 0; i < 5; i++) expect((await exchange(p.email, otherThan(code, i))).status).toBe(401);
    testClock.advance(10 * MIN);
    await requestCode(p.email);
    code = codesIn(await codeMails(p.email))[0]!;
    for (let i = 0; i < 4; i++) expect((await exchange(p.email, otherThan(code, i))).status).toBe(401);
    const tenth = await exchange(p.email, otherThan(code, 4));
    expect(tenth.status).toBe(401);

    // Locked: a fresh code request sends nothing; the right code answers 429.
    const mailsBefore = (await codeMails(p.email)).length;
    expect((await requestCode(p.email)).status).toBe(202);
    expect(await codeMails(p.email)).toHaveLength(mailsBefore);
    const locked = await exchange(p.email, code);
    expect(locked.status).toBe(429);
    expect((await json(locked)).error.code).toBe('rate_limited');
    // Until the hour since the first wrong code: 50 minutes left.
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(49 * 60);
    expect(retryAfter).toBeLessThanOrEqual(50 * 60);

    testClock.advance(retryAfter * 1000 + 1000);
    await requestCode(p.email);
    const fresh = codesIn(await codeMails(p.email))[0]!;
    expect((await exchange(p.email, fresh)).status).toBe(200);
  });

  it('the lock sends one warning email, with no code in it', async () => {
    const p = await makeProvider();
    await requestCode(p.email);
    const code = codesIn(await codeMails(p.email))[0]!;
    for (let i = 0; i < 12; i++) await exchange(p.email, otherThan(code, i));
    const warnings = (await mailTo(p.email)).filter((m) => /tried to sign in/i.test(m.subject));
    expect(warnings).toHaveLength(1);
    expect(`${warnings[0]!.subject}${warnings[0]!.text}${warnings[0]!.html}`).not.toContain(code);
    expect(warnings[0]!.text).not.toMatch(/\b\d{6}\b/);
  });

  it('parallel wrong codes reaching the cap send one warning between them', async () => {
    const p = await makeProvider();
    await Promise.all(Array.from({ length: 14 }, (_, i) => exchange(p.email, String(100000 + i))));
    const warnings = (await mailTo(p.email)).filter((m) => /tried to sign in/i.test(m.subject));
    expect(warnings).toHaveLength(1);
  });

  it('an unknown email is locked the same way (no enumeration through the lock)', async () => {
    const ghost = uniqueEmail('ghost');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await exchange(ghost, String(200000 + i))).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    expect(await mailTo(ghost)).toHaveLength(0);
  });
});

describe('token attempts per network address', () => {
  it('30 token attempts an hour per network address', async () => {
    const headers = ip();
    const statuses: number[] = [];
    // Different emails, so no account cap is near: only the address counts.
    for (let i = 0; i < 31; i++) statuses.push((await exchange(uniqueEmail('spray'), '123456', headers)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    const p = await makeProvider();
    await requestCode(p.email);
    const code = codesIn(await codeMails(p.email))[0]!;
    // Even the right code from that address waits; its try is not spent.
    const refused = await exchange(p.email, code, headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(59 * 60 - 60);
    expect((await exchange(p.email, code)).status).toBe(200);
    testClock.advance(60 * MIN + 1000);
    expect((await exchange(uniqueEmail('spray'), '123456', headers)).status).toBe(401);
  });
});
