// Appointments: create (one, series, a past record), validation, credentialing, telehealth, list, get,
// move, notify and cancel, with the emails each sends.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { testClock } from '../../worker/platform/clock';
import { call, json, mailTo } from './helpers';
import { at, DAY, HOUR, MIN, schedule, setup } from './appointments-helpers';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');

async function auditActions(providerId: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT action FROM audit_log WHERE provider_id = ? ORDER BY id')
    .bind(providerId)
    .all<{ action: string }>();
  return results.map((r) => r.action);
}

function invite(mail: { attachments: unknown[] }): string {
  const a = mail.attachments as { contentType: string; content: string }[];
  return a.find((x) => x.contentType.startsWith('text/calendar'))?.content ?? '';
}

describe('POST /v1/appointments', () => {
  it('creates one session in UTC with every Appointment field', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const res = await call('POST', '/v1/appointments', {
      token: s.p.token,
      body: {
        clientId: s.clientId,
        startsAt: '2026-12-03T10:00:00-05:00',
        durationMinutes: 45,
        location: { type: 'office' },
      },
    });
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({
      id: expect.stringMatching(/^apt_[a-z2-7]{20}$/),
      clientId: s.clientId,
      client: { id: s.clientId, firstName: 'Ada', lastName: 'Lovelace' },
      startsAt: '2026-12-03T15:00:00.000Z',
      endsAt: '2026-12-03T15:45:00.000Z',
      durationMinutes: 45,
      location: { type: 'office' },
      status: 'scheduled',
      notifiedAt: null,
      confirmation: null,
      claimId: null,
      seriesId: null,
    });
    expect(await mailTo(s.clientEmail)).toHaveLength(0); // notify defaults to false
    expect(await auditActions(s.p.id)).toContain('appointment.create');
  });

  it('with notify: true mails the client the details with an .ics REQUEST and sets notifiedAt', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + 2 * DAY), { notify: true });
    expect(apt.notifiedAt).toBe(at(T0));
    const mails = await mailTo(s.clientEmail);
    expect(mails).toHaveLength(1);
    const ics = invite(mails[0]!);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${apt.id}@caseload`);
    expect(ics).toContain('SEQUENCE:0');
    expect(mails[0]!.text).not.toMatch(/F41|9083|note/i);
  });

  it('records a session that already happened: allowed, never notified', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 - 3 * DAY), { notify: true });
    expect(apt.status).toBe('scheduled');
    expect(apt.notifiedAt).toBeNull();
    expect(await mailTo(s.clientEmail)).toHaveLength(0);
  });

  it('validates the body with one issue per field', async () => {
    const s = await setup();
    const res = await call('POST', '/v1/appointments', {
      token: s.p.token,
      body: {
        clientId: s.clientId,
        startsAt: '2026-12-03 10:00',
        durationMinutes: 10,
        location: { type: 'zoom' },
        repeat: { every: 'day', count: 60 },
      },
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ['durationMinutes', 'location.type', 'repeat.count', 'repeat.every', 'startsAt'].sort(),
    );
    for (const d of [14, 241, 30.5]) {
      const r = await call('POST', '/v1/appointments', {
        token: s.p.token,
        body: {
          clientId: s.clientId,
          startsAt: '2026-12-03T10:00:00Z',
          durationMinutes: d,
          location: { type: 'office' },
        },
      });
      expect(r.status, String(d)).toBe(400);
    }
    for (const count of [1, 53]) {
      const r = await call('POST', '/v1/appointments', {
        token: s.p.token,
        body: {
          clientId: s.clientId,
          startsAt: '2026-12-03T10:00:00Z',
          durationMinutes: 50,
          location: { type: 'office' },
          repeat: { every: 'week', count },
        },
      });
      expect(r.status, String(count)).toBe(400);
    }
  });

  it('an unknown clientId is 404 not_found', async () => {
    const s = await setup();
    const res = await call('POST', '/v1/appointments', {
      token: s.p.token,
      body: {
        clientId: 'cli_nope',
        startsAt: '2026-12-03T10:00:00Z',
        durationMinutes: 50,
        location: { type: 'office' },
      },
    });
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
  });

  it('a provider with no approved carrier gets 409 not_credentialed', async () => {
    const s = await setup({ approved: false });
    const res = await call('POST', '/v1/appointments', {
      token: s.p.token,
      body: {
        clientId: s.clientId,
        startsAt: '2026-12-03T10:00:00Z',
        durationMinutes: 50,
        location: { type: 'office' },
      },
    });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('not_credentialed');
    const n = await env.DB.prepare('SELECT count(*) AS n FROM appointments WHERE provider_id = ?')
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it('telehealth needs the provider’s telehealthUrl, and then carries it', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const body = {
      clientId: s.clientId,
      startsAt: at(T0 + DAY),
      durationMinutes: 50,
      location: { type: 'telehealth' },
    };
    const refused = await call('POST', '/v1/appointments', { token: s.p.token, body });
    expect(refused.status).toBe(422);
    expect((await json(refused)).error.code).toBe('telehealth_not_configured');
    await call('PATCH', '/v1/me', { token: s.p.token, body: { telehealthUrl: 'https://video.example.com/me' } });
    const ok = await call('POST', '/v1/appointments', { token: s.p.token, body: { ...body, notify: true } });
    expect(ok.status).toBe(201);
    expect((await json(ok)).location).toEqual({ type: 'telehealth', url: 'https://video.example.com/me' });
    const [mail] = await mailTo(s.clientEmail);
    expect(mail!.text).toContain('https://video.example.com/me');
    expect(invite(mail!)).toContain('video.example.com/me');
  });

  it('creates a weekly series all at once, with one seriesId; notify sends one invite per future session', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const res = await call('POST', '/v1/appointments', {
      token: s.p.token,
      body: {
        clientId: s.clientId,
        startsAt: at(T0 - 7 * DAY + HOUR),
        durationMinutes: 50,
        location: { type: 'office' },
        notify: true,
        repeat: { every: 'week', count: 4 },
      },
    });
    expect(res.status).toBe(201);
    const { items } = await json(res);
    expect(items).toHaveLength(4);
    expect(new Set(items.map((a: { seriesId: string }) => a.seriesId)).size).toBe(1);
    expect(items[0].seriesId).toMatch(/^ser_/);
    expect(items.map((a: { startsAt: string }) => a.startsAt)).toEqual(
      [0, 1, 2, 3].map((i) => at(T0 - 7 * DAY + HOUR + i * 7 * DAY)),
    );
    // The first session is in the past: recorded, not announced; the other three each get their invite.
    expect(items.map((a: { notifiedAt: string | null }) => a.notifiedAt !== null)).toEqual([false, true, true, true]);
    const mails = await mailTo(s.clientEmail);
    expect(mails).toHaveLength(3);
    expect(new Set(mails.map((m) => /UID:(\S+)/.exec(invite(m))?.[1])).size).toBe(3);
    expect(await auditActions(s.p.id)).toEqual(expect.arrayContaining(Array(4).fill('appointment.create')));
  });

  it('an every-2-weeks series steps 14 days', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const res = await call('POST', '/v1/appointments', {
      token: s.p.token,
      body: {
        clientId: s.clientId,
        startsAt: '2027-01-05T15:00:00Z',
        durationMinutes: 50,
        location: { type: 'office' },
        repeat: { every: '2weeks', count: 3 },
      },
    });
    const { items } = await json(res);
    expect(items.map((a: { startsAt: string }) => a.startsAt)).toEqual([
      '2027-01-05T15:00:00.000Z',
      '2027-01-19T15:00:00.000Z',
      '2027-02-02T15:00:00.000Z',
    ]);
  });

  it('replays the first response for the same Idempotency-Key and creates nothing new', async () => {
    const s = await setup();
    const headers = { 'idempotency-key': crypto.randomUUID() };
    const body = {
      clientId: s.clientId,
      startsAt: '2027-02-01T15:00:00Z',
      durationMinutes: 50,
      location: { type: 'office' },
    };
    const a = await call('POST', '/v1/appointments', { token: s.p.token, body, headers });
    const b = await call('POST', '/v1/appointments', { token: s.p.token, body, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(await b.text()).toBe(await a.text());
    const n = await env.DB.prepare('SELECT count(*) AS n FROM appointments WHERE provider_id = ?')
      .bind(s.p.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(1);
  });
});

describe('GET /v1/appointments', () => {
  it('lists by startsAt, filters by range (contained), client and status, and pages with a cursor', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const other = await call('POST', '/v1/clients', {
      token: s.p.token,
      body: {
        firstName: 'Bo',
        lastName: 'Other',
        email: `bo.${crypto.randomUUID().slice(0, 6)}@example.com`,
        notify: false,
      },
    });
    const otherId = (await json(other)).id;
    const made = [];
    for (const [i, offset] of [3, -2, 1, -5, 2].entries()) {
      made.push(await schedule(s, at(T0 + offset * DAY), i === 4 ? { clientId: otherId } : {}));
    }
    const all = await json(await call('GET', '/v1/appointments', { token: s.p.token }));
    expect(all.items.map((a: { startsAt: string }) => a.startsAt)).toEqual(
      [-5, -2, 1, 2, 3].map((d) => at(T0 + d * DAY)),
    );
    expect(all.nextCursor).toBeNull();

    const toConfirm = await json(
      await call('GET', `/v1/appointments?status=scheduled&to=${encodeURIComponent(at(T0))}`, { token: s.p.token }),
    );
    expect(toConfirm.items).toHaveLength(2);
    const range = await json(
      await call(
        'GET',
        `/v1/appointments?from=${encodeURIComponent(at(T0))}&to=${encodeURIComponent(at(T0 + 2 * DAY + HOUR))}`,
        { token: s.p.token },
      ),
    );
    expect(range.items.map((a: { startsAt: string }) => a.startsAt)).toEqual([at(T0 + DAY), at(T0 + 2 * DAY)]);
    const byClient = await json(await call('GET', `/v1/appointments?clientId=${otherId}`, { token: s.p.token }));
    expect(byClient.items.map((a: { id: string }) => a.id)).toEqual([made[4].id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await json(
        await call('GET', `/v1/appointments?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: s.p.token }),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((a: { id: string }) => a.id));
  });

  it('rejects a bad filter and a bad cursor with 400', async () => {
    const s = await setup();
    for (const q of ['status=done', 'from=yesterday', 'limit=0', 'limit=201', 'cursor=%%%']) {
      const res = await call('GET', `/v1/appointments?${q}`, { token: s.p.token });
      expect(res.status, q).toBe(400);
    }
  });
});

describe('PATCH /v1/appointments/:id', () => {
  it('moves a notified session: raises the invite SEQUENCE and re-sends the details', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + DAY), { notify: true });
    const res = await call('PATCH', `/v1/appointments/${apt.id}`, {
      token: s.p.token,
      body: { startsAt: at(T0 + DAY + 2 * HOUR), durationMinutes: 60 },
    });
    expect(res.status).toBe(200);
    const moved = await json(res);
    expect(moved).toMatchObject({
      startsAt: at(T0 + DAY + 2 * HOUR),
      endsAt: at(T0 + DAY + 3 * HOUR),
      durationMinutes: 60,
    });
    const mails = await mailTo(s.clientEmail);
    expect(mails).toHaveLength(2);
    const update = mails.find((m) => invite(m).includes('SEQUENCE:1'));
    expect(update?.subject).toMatch(/^Updated/);
    expect(invite(update!)).toContain(`UID:${apt.id}@caseload`);
    const seq = await env.DB.prepare('SELECT ics_sequence AS s FROM appointments WHERE id = ?')
      .bind(apt.id)
      .first<{ s: number }>();
    expect(seq?.s).toBe(1);
  });

  it('changes a session never notified without emailing, and still raises the sequence', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ telehealth: true });
    const apt = await schedule(s, at(T0 + DAY));
    const res = await call('PATCH', `/v1/appointments/${apt.id}`, {
      token: s.p.token,
      body: { location: { type: 'telehealth' } },
    });
    expect((await json(res)).location).toEqual({ type: 'telehealth', url: 'https://video.example.com/room-1' });
    expect(await mailTo(s.clientEmail)).toHaveLength(0);
    const seq = await env.DB.prepare('SELECT ics_sequence AS s FROM appointments WHERE id = ?')
      .bind(apt.id)
      .first<{ s: number }>();
    expect(seq?.s).toBe(1);
  });

  it('applies the conflict rules (excluding itself) and only to scheduled sessions', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const a = await schedule(s, at(T0 + DAY));
    const b = await schedule(s, at(T0 + DAY + 2 * HOUR));
    const self = await call('PATCH', `/v1/appointments/${a.id}`, {
      token: s.p.token,
      body: { startsAt: at(T0 + DAY + 10 * MIN) },
    });
    expect(self.status).toBe(200); // overlapping its own old slot is fine
    const clash = await call('PATCH', `/v1/appointments/${a.id}`, {
      token: s.p.token,
      body: { startsAt: at(T0 + DAY + 100 * MIN) },
    });
    expect(clash.status).toBe(409);
    expect((await json(clash)).error).toMatchObject({ code: 'schedule_conflict', conflicts: [b.id] });
    await call('POST', `/v1/appointments/${b.id}/cancel`, { token: s.p.token, body: { reason: 'client' } });
    const canceled = await call('PATCH', `/v1/appointments/${b.id}`, {
      token: s.p.token,
      body: { durationMinutes: 30 },
    });
    expect(canceled.status).toBe(409);
    expect((await json(canceled)).error.code).toBe('invalid_state');
  });

  it('validates the body', async () => {
    const s = await setup();
    const apt = await schedule(s, '2027-03-01T15:00:00Z');
    const res = await call('PATCH', `/v1/appointments/${apt.id}`, { token: s.p.token, body: { durationMinutes: 5 } });
    expect(res.status).toBe(400);
  });
});

describe('POST /v1/appointments/:id/notify', () => {
  it('mails the details with the invite and answers 202', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + DAY));
    const res = await call('POST', `/v1/appointments/${apt.id}/notify`, { token: s.p.token });
    expect(res.status).toBe(202);
    const mails = await mailTo(s.clientEmail);
    expect(mails).toHaveLength(1);
    expect(invite(mails[0]!)).toContain('METHOD:REQUEST');
    const got = await json(await call('GET', `/v1/appointments/${apt.id}`, { token: s.p.token }));
    expect(got.notifiedAt).toBe(at(T0));
  });

  it('refuses a past or cancelled session with 409 invalid_state', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const past = await schedule(s, at(T0 - DAY));
    expect((await call('POST', `/v1/appointments/${past.id}/notify`, { token: s.p.token })).status).toBe(409);
    const fut = await schedule(s, at(T0 + DAY));
    await call('POST', `/v1/appointments/${fut.id}/cancel`, { token: s.p.token, body: { reason: 'provider' } });
    const res = await call('POST', `/v1/appointments/${fut.id}/notify`, { token: s.p.token });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('invalid_state');
  });
});

describe('POST /v1/appointments/:id/cancel', () => {
  it('maps each reason to its status', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const cases = [
      ['client', 'canceled', 1],
      ['provider', 'canceled', 2],
      ['late_cancel', 'late_canceled', 3],
      ['no_show', 'no_show', -1],
    ] as const;
    for (const [reason, status, day] of cases) {
      const apt = await schedule(s, at(T0 + day * DAY));
      const res = await call('POST', `/v1/appointments/${apt.id}/cancel`, { token: s.p.token, body: { reason } });
      expect(res.status, reason).toBe(200);
      expect((await json(res)).status).toBe(status);
    }
  });

  it('a no-show only once the session has started; a reason is required', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + 10 * MIN));
    const early = await call('POST', `/v1/appointments/${apt.id}/cancel`, {
      token: s.p.token,
      body: { reason: 'no_show' },
    });
    expect(early.status).toBe(409);
    expect((await json(early)).error.code).toBe('invalid_state');
    expect(
      (await call('POST', `/v1/appointments/${apt.id}/cancel`, { token: s.p.token, body: { reason: 'bored' } })).status,
    ).toBe(400);
    testClock.set(new Date(T0 + 10 * MIN));
    expect(
      (await call('POST', `/v1/appointments/${apt.id}/cancel`, { token: s.p.token, body: { reason: 'no_show' } }))
        .status,
    ).toBe(200);
  });

  it('only a scheduled session can be cancelled', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + DAY));
    expect(
      (await call('POST', `/v1/appointments/${apt.id}/cancel`, { token: s.p.token, body: { reason: 'client' } }))
        .status,
    ).toBe(200);
    const again = await call('POST', `/v1/appointments/${apt.id}/cancel`, {
      token: s.p.token,
      body: { reason: 'client' },
    });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('invalid_state');
  });

  it('a notified future session’s client gets METHOD:CANCEL with the same UID and a raised SEQUENCE', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const apt = await schedule(s, at(T0 + DAY), { notify: true });
    await call('POST', `/v1/appointments/${apt.id}/cancel`, { token: s.p.token, body: { reason: 'client' } });
    const cancel = (await mailTo(s.clientEmail)).find((m) => invite(m).includes('METHOD:CANCEL'));
    const ics = invite(cancel!);
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain(`UID:${apt.id}@caseload`);
    expect(ics).toContain('SEQUENCE:1');
  });

  it('sends nothing for a session never notified, or one already past', async () => {
    testClock.set(new Date(T0));
    const s = await setup();
    const quiet = await schedule(s, at(T0 + DAY));
    await call('POST', `/v1/appointments/${quiet.id}/cancel`, { token: s.p.token, body: { reason: 'client' } });
    const told = await schedule(s, at(T0 + 2 * HOUR), { notify: true });
    testClock.set(new Date(T0 + 3 * HOUR));
    await call('POST', `/v1/appointments/${told.id}/cancel`, { token: s.p.token, body: { reason: 'late_cancel' } });
    expect((await mailTo(s.clientEmail)).map((m) => m.subject)).toEqual([expect.stringMatching(/^Your session/)]);
  });
});

describe('fuzzing the scheduling bodies', () => {
  it('answers odd values with a 4xx in the error shape, never a 5xx', async () => {
    testClock.set(new Date(T0));
    const s = await setup({ telehealth: true });
    const apt = await schedule(s, at(T0 + 5 * DAY));
    const past = await schedule(s, at(T0 - DAY));
    const weird = [
      null,
      true,
      -1,
      1e308,
      '',
      'x'.repeat(3000),
      '\u0000',
      [],
      {},
      { type: 'office', url: 'javascript:x' },
      '9999-12-31T23:59:59Z',
      '0001-01-01T00:00:00Z',
      '2026-02-30T10:00:00Z',
      "'; DROP TABLE appointments; --",
    ];
    const routes: [string, string, string[]][] = [
      ['POST', '/v1/appointments', ['clientId', 'startsAt', 'durationMinutes', 'location', 'notify', 'repeat']],
      ['PATCH', `/v1/appointments/${apt.id}`, ['startsAt', 'durationMinutes', 'location']],
      ['POST', `/v1/appointments/${apt.id}/cancel`, ['reason']],
      [
        'POST',
        `/v1/appointments/${past.id}/confirm`,
        ['cptCode', 'addOnCodes', 'diagnosisCodes', 'progressNote', 'startedAt', 'endedAt', 'patientLocation'],
      ],
    ];
    const base: Record<string, unknown> = {
      clientId: s.clientId,
      startsAt: at(T0 + 9 * DAY),
      durationMinutes: 50,
      location: { type: 'office' },
      cptCode: '90834',
      diagnosisCodes: ['F41.1'],
      progressNote: 'n',
    };
    for (const [method, path, fields] of routes) {
      for (const field of fields) {
        for (const value of weird) {
          const res = await call(method, path, {
            token: s.p.token,
            body: { ...(method === 'POST' && path.endsWith('cancel') ? {} : base), [field]: value },
          });
          const label = `${method} ${path} ${field}=${JSON.stringify(value)?.slice(0, 30)}`;
          expect(res.status, label).toBeLessThan(500);
          if (res.status >= 400) expect((await json(res)).error?.code, label).toEqual(expect.any(String));
          else if (res.status === 201) {
            const created = await json(res);
            for (const a of created.items ?? [created])
              await call('POST', `/v1/appointments/${a.id}/cancel`, { token: s.p.token, body: { reason: 'provider' } });
          } else await res.body?.cancel();
        }
      }
    }
  }, 60_000);
});
