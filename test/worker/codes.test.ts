// GET /v1/codes/cpt and /v1/codes/icd10?q=: the code lists the popup suggests from; and the
// ICD-10-CM table behind the search and the confirmation checks (0008_icd10cm.sql).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ICD10CM_FISCAL_YEARS } from '../../shared/billing/icd10';
import { FTS_PREFIX } from '../../scripts/gen-icd10.mjs';
import * as icd10 from '../../worker/db/codes';
import { testClock } from '../../worker/platform/clock';
import { call, json, makeProvider, tokenFor } from './helpers';

describe('GET /v1/codes/cpt', () => {
  it('lists the billable psychotherapy codes with their rules, never prescriber codes', async () => {
    const p = await makeProvider();
    const res = await call('GET', '/v1/codes/cpt', { token: p.token });
    expect(res.status).toBe(200);
    const { items, nextCursor } = await json(res);
    expect(nextCursor).toBeNull();
    expect(items.map((c: { code: string }) => c.code)).toEqual([
      '90791',
      '90832',
      '90834',
      '90837',
      '90839',
      '90840',
      '90846',
      '90847',
      '90853',
      '90785',
    ]);
    expect(items.find((c: { code: string }) => c.code === '90834')).toMatchObject({
      kind: 'primary',
      minMinutes: 38,
      maxMinutes: 52,
      onePerSession: true,
    });
    expect(items.find((c: { code: string }) => c.code === '90840')).toMatchObject({
      kind: 'add_on',
      addOnTo: ['90839'],
      minMinutes: 75,
    });
    expect(items.find((c: { code: string }) => c.code === '90785')).toMatchObject({
      notWith: ['90839', '90840', '90846', '90847'],
    });
    expect((await call('GET', '/v1/codes/cpt')).status).toBe(401);
  });
});

describe('the ICD-10-CM table', () => {
  const digests = JSON.parse(env.ICD10CM_DIGESTS) as {
    fy: number;
    rows: number;
    billable: number;
    manifestations: number;
    sha256: string;
  }[];

  it('holds exactly data/icd10cm, year by year: rows, billable, manifestations and a SHA-256 of every row', async () => {
    expect(digests.map((d) => d.fy)).toEqual([...ICD10CM_FISCAL_YEARS]);
    expect(digests.map((d) => [d.rows, d.billable])).toEqual([
      [98_186, 74_719],
      [98_403, 74_879],
    ]);
    for (const d of digests) {
      // The lines joined in SQL, one string per 2-character code prefix (D1 caps a value at 2 MB;
      // 98k row objects through D1 would take seconds).
      const { results } = await env.DB.prepare(
        `SELECT count(*) AS rows, sum(billable) AS billable, sum(manifestation) AS manifestations,
           group_concat(code || char(9) || billable || char(9) || description || char(10), '' ORDER BY code) AS text
         FROM icd10cm WHERE first_fy <= ?1 AND last_fy >= ?1 GROUP BY substr(code, 1, 2) ORDER BY substr(code, 1, 2)`,
      )
        .bind(d.fy)
        .all<{ rows: number; billable: number; manifestations: number; text: string }>();
      const sum = (k: 'rows' | 'billable' | 'manifestations') => results.reduce((n, r) => n + r[k], 0);
      const row = { rows: sum('rows'), billable: sum('billable'), manifestations: sum('manifestations') };
      const text = results.map((r) => r.text).join('');
      const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
      const hex = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('');
      expect({ ...row, sha256: hex }, `FY${d.fy}`).toEqual({
        rows: d.rows,
        billable: d.billable,
        manifestations: d.manifestations,
        sha256: d.sha256,
      });
    }
  }, 60_000);

  it('stores a code once while it does not change: fewer rows than the years have together', async () => {
    const row = await env.DB.prepare(
      'SELECT count(*) AS n, min(first_fy) AS first, max(last_fy) AS last FROM icd10cm',
    ).first<{ n: number; first: number; last: number }>();
    expect(row).toEqual({ n: 98_443, first: 2026, last: 2027 });
    expect(row!.n).toBeLessThan(98_186 + 98_403);
  });

  it('numbers rows billable first, then by code (the order the search walks), and the word index matches the rows', async () => {
    const out = await env.DB.prepare(
      'SELECT count(*) AS n FROM icd10cm a JOIN icd10cm b ON b.id = a.id + 1 WHERE a.billable < b.billable OR (a.billable = b.billable AND a.code > b.code)',
    ).first<{ n: number }>();
    expect(out?.n).toBe(0);
    // FTS5's own check of an external-content index against its table (throws on a mismatch).
    await env.DB.prepare("INSERT INTO icd10cm_fts (icd10cm_fts, rank) VALUES ('integrity-check', 1)").run();
  });

  it('the word index keeps one- to three-letter prefix indexes (0041), so "fracture of" does not merge every word starting "of"', async () => {
    const row = await env.DB.prepare("SELECT sql FROM sqlite_schema WHERE name = 'icd10cm_fts'").first<{
      sql: string;
    }>();
    expect(row?.sql).toContain(`prefix='${FTS_PREFIX}'`);
    // The prefix lists answer what the word lists answered: "of"* is the code set's four words that
    // start with "of" (FY2026–2027: of, off, office, official), looked up one by one in the main index.
    const count = async (match: string) =>
      (
        await env.DB.prepare('SELECT count(*) AS n FROM icd10cm_fts WHERE icd10cm_fts MATCH ?')
          .bind(match)
          .first<{ n: number }>()
      )?.n;
    const ofStar = await count('"of"*');
    expect(ofStar).toBeGreaterThan(30_000);
    expect(ofStar).toBe(await count('"of" OR "off" OR "office" OR "official"'));
    expect(await count('"fracture"* "of"*')).toBe(
      await count('"fracture"* AND ("of" OR "off" OR "office" OR "official")'),
    );
  });

  it('no search sorts: a code prefix scans the code index, words walk the FTS index in rowid order', async () => {
    const plan = async (read: { query: { sql: string; parameters: readonly unknown[] } }) =>
      (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${read.query.sql}`)
          .bind(...read.query.parameters)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join('\n');
    const byCode = await plan(icd10.byCodePrefix('S', 2026, 20));
    expect(byCode).toMatch(/SEARCH icd10cm USING INDEX icd10cm_code \(code>\? AND code<\?\)/);
    expect(byCode).not.toMatch(/TEMP B-TREE/);
    const byWords = await plan(icd10.byWords(['fracture', 'of'], 2026, 20));
    expect(byWords).toMatch(/SCAN icd10cm_fts VIRTUAL TABLE/);
    expect(byWords).toMatch(/SEARCH icd10cm USING INTEGER PRIMARY KEY/);
    expect(byWords).not.toMatch(/TEMP B-TREE/);
    const lookup = await plan(icd10.lookup(['S72', 'F41.1']));
    expect(lookup).not.toMatch(/AUTOMATIC|SCAN icd10cm(?! USING)/);
  });
});

describe('GET /v1/codes/icd10', () => {
  type Item = { code: string; description: string; billable: boolean };
  const search = async (token: string, q: string, extra = ''): Promise<Item[]> => {
    const res = await call('GET', `/v1/codes/icd10?q=${encodeURIComponent(q)}${extra}`, { token });
    expect(res.status, `${q}: ${await res.clone().text()}`).toBe(200);
    return (await json(res)).items;
  };
  /** API.md: every word is the start of a word of the description (any case). */
  const hasEveryWord = (description: string, words: string[]) => {
    const own = description.toLowerCase().split(/[^\p{L}\p{N}]+/u);
    return words.every((w) => own.some((o) => o.startsWith(w)));
  };
  const inOrder = (items: Item[]) =>
    items.every(
      (it, i) =>
        i === 0 ||
        (items[i - 1]!.billable && !it.billable) ||
        (items[i - 1]!.billable === it.billable && items[i - 1]!.code < it.code),
    );

  it('a code-like query matches by prefix (dot optional, any case), billable codes first, then by code', async () => {
    const p = await makeProvider();
    const items = await search(p.token, 'f41');
    expect(items.map((i) => i.code)).toEqual(['F41.0', 'F41.1', 'F41.3', 'F41.8', 'F41.9', 'F41']);
    expect(items.at(-1)).toEqual({ code: 'F41', description: 'Other anxiety disorders', billable: false });
    expect((await search(p.token, 'F411')).map((i) => i.code)).toEqual(['F41.1']);
    expect((await search(p.token, 'f41.1')).map((i) => i.code)).toEqual(['F41.1']);
  });

  it('searches every chapter: R45.851, T74.11XA, QA0 — and a lone letter is a code prefix', async () => {
    const p = await makeProvider();
    expect((await search(p.token, 'r4585')).map((i) => i.code)).toEqual(['R45.850', 'R45.851', 'R45.85']);
    expect((await search(p.token, 't7411x')).map((i) => i.code)).toEqual(['T74.11XA', 'T74.11XD', 'T74.11XS']);
    expect((await search(p.token, 'QA0.01')).map((i) => i.code)).toContain('QA0.0101');
    const s = await search(p.token, 's');
    expect(s).toHaveLength(20);
    expect(s.every((i) => i.billable && i.code.startsWith('S'))).toBe(true);
    expect(inOrder(s)).toBe(true);
  });

  it('otherwise every word must start a word of the description: "suic ideat" finds R45.851 first', async () => {
    const p = await makeProvider();
    expect(await search(p.token, 'suic ideat')).toEqual([
      { code: 'R45.851', description: 'Suicidal ideations', billable: true },
      { code: 'R45.85', description: 'Homicidal and suicidal ideations', billable: false },
    ]);
    expect((await search(p.token, 'generalized anxiety')).map((i) => i.code)).toEqual(['F41.1']);
    expect((await search(p.token, 'ANXIETY Generalized')).map((i) => i.code)).toEqual(['F41.1']);
    expect((await search(p.token, 'PTSD')).map((i) => i.code)).toEqual(['F43.1']);
    // Prefixes of words, not pieces of them: "iety" is inside "anxiety" but starts no word.
    expect(await search(p.token, 'iety')).toEqual([]);
    expect(await search(p.token, 'zzzz nothing')).toEqual([]);
    for (const q of ['post-traumatic stress', 'insomnia', 'adult physical abuse']) {
      const items = await search(p.token, q);
      expect(items.length, q).toBeGreaterThan(0);
      const words = q.toLowerCase().split(/[^a-z]+/);
      for (const i of items) expect(hasEveryWord(i.description, words), `${q}: ${i.description}`).toBe(true);
    }
  });

  it('returns at most 20: billable codes first, each group by code', async () => {
    const p = await makeProvider();
    for (const q of ['depress', 'fracture of', 'disorder']) {
      const items = await search(p.token, q);
      expect(items, q).toHaveLength(20);
      expect(inOrder(items), q).toBe(true);
    }
  });

  it('hostile queries are words, never FTS5 syntax: 200 with matches of the words (or none)', async () => {
    const p = await makeProvider();
    for (const q of [
      '"',
      '*',
      '-',
      'OR',
      'NEAR(',
      'NEAR(anxiety panic, 2)',
      '"anxiety',
      'anxiety OR panic',
      'NOT anxiety',
      'anxiety AND',
      'description:anxiety',
      '{description}: panic',
      '^panic',
      'panic*',
      '(panic',
      "'; DROP TABLE icd10cm; --",
      'ünïcödé',
    ]) {
      const items = await search(p.token, q);
      const words = q
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean);
      for (const i of items) expect(hasEveryWord(i.description, words), `${q}: ${i.description}`).toBe(true);
    }
    expect(await search(p.token, '"')).toEqual([]);
    expect((await search(p.token, 'anxiety OR panic')).map((i) => i.code)).toEqual([]); // no "or…" word with both
    expect((await search(p.token, 'NEAR(anxiety panic, 2)')).map((i) => i.code)).toEqual([]);
    expect((await search(p.token, '"panic disorder')).map((i) => i.code)).toContain('F41.0');
    expect((await search(p.token, 'F41')).length).toBeGreaterThan(0); // the table is still there
  });

  it('searches the code set in force on date (default: today where the provider practises)', async () => {
    const p = await makeProvider();
    expect(await search(p.token, 'F64.A', '&date=2026-09-30')).toEqual([]);
    expect((await search(p.token, 'F64.A', '&date=2026-10-01')).map((i) => i.code)).toEqual(['F64.A']);
    // FY2027 splits Z68.1: its new billable codes come before it, though it sorts first by code.
    expect((await search(p.token, 'Z68.1', '&date=2026-09-30')).map((i) => i.code)).toEqual(['Z68.1']);
    expect((await search(p.token, 'Z68.1', '&date=2026-10-01')).map((i) => i.code)).toEqual([
      'Z68.18',
      'Z68.19',
      'Z68.1',
    ]);
    expect(await search(p.token, 'gender transition', '&date=2026-09-30')).toEqual([]);
    // Word prefixes: Z87.893 "gender detransition" has no word starting with "transition".
    expect((await search(p.token, 'gender transition', '&date=2026-10-01')).map((i) => i.code)).toEqual([
      'Z87.8901',
      'Z87.8902',
      'Z87.8903',
      'Z87.8909',
    ]);
    testClock.set('2026-10-01T02:00:00.000Z'); // still 30 September in New York
    expect(await search(await tokenFor(p.id), 'F64.A')).toEqual([]);
  });

  it('the earlier name of the parameter, serviceDate, is still understood (date wins when both are sent)', async () => {
    const p = await makeProvider();
    expect(await search(p.token, 'F64.A', '&serviceDate=2026-09-30')).toEqual([]);
    expect((await search(p.token, 'F64.A', '&serviceDate=2026-10-01')).map((i) => i.code)).toEqual(['F64.A']);
    expect(await search(p.token, 'F64.A', '&date=2026-09-30&serviceDate=2026-10-01')).toEqual([]);
  });

  it('q is required; a bad date is 400', async () => {
    const p = await makeProvider();
    expect((await call('GET', '/v1/codes/icd10', { token: p.token })).status).toBe(400);
    expect((await call('GET', '/v1/codes/icd10?q=%20', { token: p.token })).status).toBe(400);
    expect((await call('GET', '/v1/codes/icd10?q=f41&date=2026-02-30', { token: p.token })).status).toBe(400);
  });
});
