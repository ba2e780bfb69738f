// The schema: the hot reads use an index, and the demo seed can run again without harm.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

async function plan(sql: string, ...params: unknown[]): Promise<string> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail).join('\n');
}

describe('query plans', () => {
  it('the unconfirmed count reads the partial index, no table scan', async () => {
    const p = await plan(
      "SELECT count(*), min(starts_at) FROM appointments WHERE provider_id = ? AND status = 'scheduled' AND ends_at <= ?",
      'prv_x',
      '2026-01-01T00:00:00.000Z',
    );
    expect(p).toMatch(/USING (COVERING )?INDEX appointments_unconfirmed/);
    expect(p).not.toMatch(/SCAN appointments(?! USING)/);
  });

  it('a calendar range read uses (provider, starts_at)', async () => {
    const p = await plan(
      'SELECT * FROM appointments WHERE provider_id = ? AND starts_at >= ? AND starts_at < ? ORDER BY starts_at',
      'prv_x',
      '2026-01-01',
      '2026-01-08',
    );
    expect(p).toMatch(/SEARCH appointments USING INDEX appointments_provider_start/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('the popup\'s "to confirm" list reads the unconfirmed partial index', async () => {
    const p = await plan(
      "SELECT a.* FROM appointments a JOIN clients c ON c.id = a.client_id WHERE a.provider_id = ? AND a.ends_at <= ? AND a.status = 'scheduled' ORDER BY a.starts_at, a.id LIMIT 51",
      'prv_x',
      '2026-01-01T00:00:00.000Z',
    );
    expect(p).toMatch(/SEARCH a USING INDEX appointments_unconfirmed/);
  });

  it('the roster by name and the per-provider email check use indexes', async () => {
    expect(await plan('SELECT id FROM clients WHERE provider_id = ? AND email_lower = ?', 'p', 'e')).toMatch(
      /USING (COVERING )?INDEX clients_provider_email/,
    );
    expect(await plan('SELECT provider_id FROM auth_tokens WHERE token_hash = ?', 'h')).toMatch(
      /SEARCH auth_tokens USING INDEX sqlite_autoindex_auth_tokens_1/,
    );
    const roster = await plan(
      'SELECT * FROM clients WHERE provider_id = ? AND (last_name COLLATE NOCASE, first_name COLLATE NOCASE, id) > (?, ?, ?) ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE, id LIMIT 51',
      'p',
      'a',
      'b',
      'c',
    );
    expect(roster).toMatch(/SEARCH clients USING INDEX clients_provider_name/);
    expect(roster).not.toMatch(/TEMP B-TREE/);
  });
});

describe('demo seed', () => {
  it('runs twice without failing or duplicating', async () => {
    const count = async () =>
      (await env.DB.prepare(
        "SELECT (SELECT count(*) FROM providers WHERE id = 'prv_demo') AS p, (SELECT count(*) FROM clients WHERE provider_id = 'prv_demo') AS c, (SELECT count(*) FROM appointments WHERE provider_id = 'prv_demo') AS a",
      ).first<{ p: number; c: number; a: number }>())!;
    await env.DB.exec(oneLine(env.TEST_SEED_SQL));
    const first = await count();
    await env.DB.exec(oneLine(env.TEST_SEED_SQL));
    expect(await count()).toEqual(first);
    // Two past sessions to confirm, two later on the day of the first start (Today), one in two days.
    expect(first).toEqual({ p: 1, c: 5, a: 5 });
    const complete = await env.DB.prepare(
      "SELECT count(*) AS n FROM clients WHERE provider_id = 'prv_demo' AND member_id IS NOT NULL",
    ).first<{ n: number }>();
    expect(complete?.n).toBe(3);
  });
});

/** D1's exec() takes one statement per line: join each statement onto its own line. */
function oneLine(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join(' ')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => `${s};`)
    .join('\n');
}
