// The requests the API benchmarks make, the same for the load test (measure 2) and the in-process CPU
// measure (3): a bare baseline, three reads the popup and badge make, and the two writes.
import { randomUUID } from 'node:crypto';
import { CONFIRM_BODY, futureSlot, weekOf } from './data.mjs';

/**
 * Each route: `next(n)` gives the n-th request { method, path, headers, body }; `expect` the status.
 * Writes never repeat: POST /v1/appointments books the n-th free hourly slot 400 days ahead, POST …/confirm
 * confirms the n-th session of the pools (spread over the pool providers); both send an Idempotency-Key
 * as the extension does.
 */
export function routes({ now, mainToken, confirmTokens }) {
  const auth = (token) => ({ authorization: `Bearer ${token}` });
  const week = weekOf(now);
  const poolSize = confirmTokens.reduce((s, p) => s + p.count, 0);
  const pooled = (n) => {
    const p = confirmTokens[n % confirmTokens.length];
    const i = Math.floor(n / confirmTokens.length);
    if (i >= p.count) throw new Error(`the confirm pool (${poolSize} sessions) is used up`);
    // Newest first: the pool's last index ended an hour ago.
    return { token: p.token, id: `${p.prefix}${p.count - 1 - i}` };
  };
  return [
    {
      name: 'baseline: GET /v1/health?db=0',
      short: 'health?db=0',
      kind: 'baseline',
      expect: 200,
      next: () => ({ method: 'GET', path: '/v1/health?db=0', headers: {} }),
    },
    {
      name: 'calibration: GET /v1/health (one D1 query)',
      short: 'health (D1)',
      kind: 'calibration',
      expect: 200,
      next: () => ({ method: 'GET', path: '/v1/health', headers: {} }),
    },
    {
      name: 'GET /v1/appointments/unconfirmed/count',
      short: 'unconfirmed count',
      kind: 'read',
      expect: 200,
      next: () => ({ method: 'GET', path: '/v1/appointments/unconfirmed/count', headers: auth(mainToken) }),
    },
    {
      name: 'GET /v1/appointments (a week)',
      short: 'week of appointments',
      kind: 'read',
      expect: 200,
      next: () => ({
        method: 'GET',
        path: `/v1/appointments?from=${encodeURIComponent(week.from)}&to=${encodeURIComponent(week.to)}`,
        headers: auth(mainToken),
      }),
    },
    {
      name: 'GET /v1/clients?q=ma (search)',
      short: 'clients search',
      kind: 'read',
      expect: 200,
      next: () => ({ method: 'GET', path: '/v1/clients?q=ma', headers: auth(mainToken) }),
    },
    {
      name: 'POST /v1/appointments',
      short: 'POST appointment',
      kind: 'write',
      expect: 201,
      next: (n) => ({
        method: 'POST',
        path: '/v1/appointments',
        headers: { ...auth(mainToken), 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          clientId: `cli_main_${n % 300}`,
          startsAt: futureSlot(now, n),
          durationMinutes: 50,
          location: { type: 'office' },
          notify: false,
        }),
      }),
    },
    {
      name: 'POST /v1/appointments/:id/confirm',
      short: 'POST confirm',
      kind: 'write',
      expect: 200,
      next: (n) => {
        const { token, id } = pooled(n);
        return {
          method: 'POST',
          path: `/v1/appointments/${id}/confirm`,
          headers: { ...auth(token), 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: CONFIRM_BODY,
        };
      },
    },
  ];
}
