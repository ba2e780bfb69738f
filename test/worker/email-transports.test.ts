// The transports behind the outbox: Resend over fetch, Cloudflare's send_email binding, and the choice by configuration.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { runBatch } from '../../worker/db/batch';
import { createData } from '../../worker/db/data';
import { backoffMs, drainOutbox, enqueueEmail } from '../../worker/email/outbox';
import { transportFor } from '../../worker/email/transport';
import { parseAddress } from '../../worker/email/transports/cloudflare';
import { mailboxTransport } from '../../worker/email/transports/mailbox';
import { isTransientStatus } from '../../worker/email/transports/resend';
import worker from '../../worker/index';

const db = createData(env.DB);
const resendEnv = {
  ...env,
  ENVIRONMENT: 'production',
  EMAIL_TRANSPORT: 'resend',
  RESEND_API_KEY: 're_test_key_123',
  EMAIL_FROM: 'Caseload <no-reply@caseload.example.com>',
};

const INVITE = {
  filename: 'invite.ics',
  contentType: 'text/calendar; charset=utf-8; method=REQUEST',
  content: 'BEGIN:VCALENDAR\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n',
};

/** One queued email (each test starts from an empty outbox), returning its id. */
async function queueOne(withInvite = true): Promise<string> {
  await runBatch(env.DB, [
    enqueueEmail(resendEnv, {
      kind: 'session_details',
      to: 'ada@example.com',
      subject: 'Your session',
      text: 'Plain ✓',
      html: '<p>Rich ✓</p>',
      attachments: withInvite ? [INVITE] : [],
    }),
  ]);
  return (await env.DB.prepare('SELECT id FROM outbox').first<{ id: string }>())!.id;
}

const row = (id: string) =>
  env.DB.prepare('SELECT status, attempts, last_error FROM outbox WHERE id = ?')
    .bind(id)
    .first<Record<string, unknown>>();

function fromBase64(b64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0)));
}

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM outbox').run();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('resend', () => {
  it('posts the message to the Resend API with the key, JSON body and the outbox id as Idempotency-Key', async () => {
    const id = await queueOne();
    const requests: Request[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      requests.push(new Request(input as RequestInfo, init));
      return new Response(JSON.stringify({ id: 'resend-msg-1' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    expect(await drainOutbox(resendEnv, db)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.url).toBe('https://api.resend.com/emails');
    expect(req.method).toBe('POST');
    expect(req.headers.get('authorization')).toBe('Bearer re_test_key_123');
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.headers.get('idempotency-key')).toBe(id);
    const body = (await req.json()) as Record<string, any>;
    expect(body).toEqual({
      from: 'Caseload <no-reply@caseload.example.com>',
      to: ['ada@example.com'],
      subject: 'Your session',
      text: 'Plain ✓',
      html: '<p>Rich ✓</p>',
      attachments: [
        {
          filename: 'invite.ics',
          content: expect.any(String),
          content_type: 'text/calendar; charset=utf-8; method=REQUEST',
        },
      ],
    });
    expect(fromBase64(body.attachments[0].content)).toBe('BEGIN:VCALENDAR\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n');
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries 429, 5xx and network errors with the same Idempotency-Key, then delivers once', async () => {
    const id = await queueOne(false);
    const answers: (() => Response)[] = [
      () => new Response('{"name":"rate_limit_exceeded"}', { status: 429 }),
      () => new Response('{"name":"internal_server_error"}', { status: 500 }),
      () => {
        throw new TypeError('connection reset');
      },
      () => new Response('{"id":"ok"}', { status: 200 }),
    ];
    const keys: (string | null)[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      keys.push(new Request(input as RequestInfo, init).headers.get('idempotency-key'));
      return answers[keys.length - 1]!();
    });
    for (let i = 1; i <= 3; i++) {
      expect((await drainOutbox(resendEnv, db)).retried).toBe(1);
      testClock.advance(backoffMs(i));
    }
    expect((await row(id))?.last_error).toMatch(/Resend unreachable: connection reset/);
    expect(await drainOutbox(resendEnv, db)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(keys).toEqual([id, id, id, id]);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 4 });
  });

  it('a refused message (422) fails at once, kept with the reason', async () => {
    const id = await queueOne(false);
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      new Response('{"name":"validation_error","message":"Invalid `to` field."}', { status: 422 }),
    );
    expect(await drainOutbox(resendEnv, db)).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(await row(id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: expect.stringContaining('Resend answered 422'),
    });
  });

  it('classifies statuses: misconfiguration and throttling back off, a bad message does not', () => {
    expect([401, 403, 408, 409, 429, 500, 502, 503].every(isTransientStatus)).toBe(true);
    expect([400, 404, 413, 422].some(isTransientStatus)).toBe(false);
  });
});

describe('cloudflare', () => {
  it('hands the structured message to the send_email binding', async () => {
    const id = await queueOne();
    const sent: any[] = [];
    const binding = {
      send: async (m: unknown) => {
        sent.push(m);
        return { messageId: 'm1' };
      },
    } as unknown as SendEmail;
    const cfEnv = { ...resendEnv, EMAIL_TRANSPORT: 'cloudflare', SEND_EMAIL: binding };
    expect(transportFor(cfEnv, db)?.name).toBe('cloudflare');
    expect(await drainOutbox(cfEnv, db)).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(sent).toEqual([
      {
        from: { name: 'Caseload', email: 'no-reply@caseload.example.com' },
        to: 'ada@example.com',
        subject: 'Your session',
        text: 'Plain ✓',
        html: '<p>Rich ✓</p>',
        headers: { 'X-Caseload-Email-Id': id },
        attachments: [
          {
            disposition: 'attachment',
            filename: 'invite.ics',
            type: 'text/calendar; charset=utf-8; method=REQUEST',
            content: 'BEGIN:VCALENDAR\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n',
          },
        ],
      },
    ]);
  });

  it('a binding error backs off and retries', async () => {
    const id = await queueOne(false);
    const binding = {
      send: async () => {
        throw new Error('E_DELIVERY_FAILED: try later');
      },
    } as unknown as SendEmail;
    const cfEnv = { ...resendEnv, EMAIL_TRANSPORT: 'cloudflare', SEND_EMAIL: binding };
    expect(await drainOutbox(cfEnv, db)).toEqual({ sent: 0, failed: 0, retried: 1 });
    expect(await row(id)).toMatchObject({ status: 'pending', last_error: 'E_DELIVERY_FAILED: try later' });
  });

  it('parses the From header into name and address', () => {
    expect(parseAddress('Caseload <no-reply@x.example>')).toEqual({ name: 'Caseload', email: 'no-reply@x.example' });
    expect(parseAddress('"Dr. A, LCSW" <a@x.example>')).toEqual({ name: 'Dr. A, LCSW', email: 'a@x.example' });
    expect(parseAddress('plain@x.example')).toBe('plain@x.example');
  });
});

describe('mailbox', () => {
  it('keeps one copy per outbox email, however often it is handed the same one', async () => {
    const t = mailboxTransport(createData(env.DB));
    const email = {
      id: `eml_once_${crypto.randomUUID()}`,
      to: 'once@example.com',
      from: 'a@b.co',
      subject: 'Once',
      text: 't',
      html: '<p>t</p>',
    };
    await t.send(email);
    await t.send(email); // a drain that died after sending, re-run after its lease
    const n = await env.DB.prepare('SELECT count(*) AS n FROM dev_mailbox WHERE outbox_id = ?')
      .bind(email.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });
});

describe('configuration', () => {
  it('picks the transport from EMAIL_TRANSPORT, and anything incomplete counts as not configured', () => {
    expect(transportFor({ ...env, EMAIL_TRANSPORT: 'mailbox', ENVIRONMENT: 'development' }, db)?.name).toBe('mailbox');
    expect(transportFor({ ...env, EMAIL_TRANSPORT: 'mailbox', ENVIRONMENT: 'production' }, db)).toBeNull();
    expect(transportFor({ ...resendEnv }, db)?.name).toBe('resend');
    expect(transportFor({ ...resendEnv, RESEND_API_KEY: undefined }, db)).toBeNull();
    expect(transportFor({ ...resendEnv, EMAIL_TRANSPORT: 'cloudflare' }, db)).toBeNull();
    expect(transportFor({ ...resendEnv, EMAIL_TRANSPORT: '' }, db)).toBeNull();
    expect(transportFor({ ...resendEnv, EMAIL_TRANSPORT: 'smtp' }, db)).toBeNull();
  });

  it('health names the configured transport', async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('http://127.0.0.1:8787/v1/health'), resendEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await res.json()).toEqual({ ok: true, db: 'ok', email: 'resend' });
  });
});
