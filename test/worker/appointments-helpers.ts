// Helpers for the scheduling, confirmation and claim tests: a credentialed provider with a billable client.
import { addClient, call, COMPLETE_BILLING, json, makeProvider, type TestProvider, tokenFor } from './helpers';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export interface Setup {
  p: TestProvider;
  clientId: string;
  clientEmail: string;
}

/**
 * A provider approved by Aetna, with a complete billing profile and fees (`providerBilling: false`: none),
 * and one client whose billing info is complete (unless told otherwise).
 */
export async function setup(
  opts: {
    billing?: boolean;
    providerBilling?: boolean;
    timeZone?: string;
    telehealth?: boolean;
    approved?: boolean;
  } = {},
): Promise<Setup> {
  const p = await makeProvider({ timeZone: opts.timeZone, approved: opts.approved, billing: opts.providerBilling });
  const client = await addClient(p, { timeZone: 'America/Chicago' });
  if (opts.billing !== false) {
    const res = await call('PUT', `/v1/clients/${client.id}/billing`, { token: p.token, body: COMPLETE_BILLING });
    if (res.status !== 200) throw new Error(`billing: ${res.status} ${await res.text()}`);
  }
  if (opts.telehealth) {
    const res = await call('PATCH', '/v1/me', {
      token: p.token,
      body: { telehealthUrl: 'https://video.example.com/room-1' },
    });
    if (res.status !== 200) throw new Error(`telehealth: ${res.status}`);
  }
  return { p, clientId: client.id, clientEmail: client.email };
}

export async function schedule(s: Setup, startsAt: string | Date, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/appointments', {
    token: s.p.token,
    body: {
      clientId: s.clientId,
      startsAt: typeof startsAt === 'string' ? startsAt : startsAt.toISOString(),
      durationMinutes: 50,
      location: { type: 'office' },
      ...extra,
    },
  });
  if (res.status !== 201) throw new Error(`schedule: ${res.status} ${await res.text()}`);
  return json(res);
}

export const at = (ms: number) => new Date(ms).toISOString();

export const CONFIRM = {
  cptCode: '90834',
  diagnosisCodes: ['F41.1'],
  progressNote: 'Client reports less worry; practiced CBT reframing.',
};

export async function confirm(s: Setup, id: string, body: Record<string, unknown> = {}) {
  return call('POST', `/v1/appointments/${id}/confirm`, { token: s.p.token, body: { ...CONFIRM, ...body } });
}

/** A fresh token (the one from setup expires 12 h after it was made on the test clock). */
export async function refresh(s: Setup): Promise<void> {
  s.p.token = await tokenFor(s.p.id);
}
