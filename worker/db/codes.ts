// ICD-10-CM in D1 (0008_icd10cm.sql): the code search and the look-up of a session's codes. Rows are
// code versions (first_fy..last_fy); ids run billable first, then by code — the search's order.
import { sql } from 'kysely';
import type { Icd10Code, Icd10Version } from '../../shared/billing/icd10';
import type { Read } from './data';
import { qb } from './kysely';

interface CodeRow {
  code: string;
  description: string;
  billable: number;
}

const toCode = (r: CodeRow): Icd10Code => ({ code: r.code, description: r.description, billable: r.billable === 1 });

/** The end of a code-prefix range: every code starting with `prefix` sorts below it ('~' follows [0-9A-Z.]). */
const upTo = (prefix: string) => `${prefix}~`;

/**
 * Codes starting with `prefix` (dotted form) in force in `fy`: billable first, then by code. One
 * range scan of the code index per flag, each stopping at `limit`.
 */
export function byCodePrefix(prefix: string, fy: number, limit: number): Read<Icd10Code[]> {
  const part = (billable: 0 | 1) =>
    qb
      .selectFrom('icd10cm')
      .select(['code', 'description', 'billable'])
      .where('code', '>=', prefix)
      .where('code', '<', upTo(prefix))
      .where('billable', '=', billable)
      .where('first_fy', '<=', fy)
      .where('last_fy', '>=', fy)
      .orderBy('code')
      .limit(limit);
  const query = qb
    .selectFrom(part(1).as('b'))
    .selectAll()
    .unionAll(qb.selectFrom(part(0).as('h')).selectAll())
    .compile();
  return {
    query,
    map: (rows) =>
      (rows as unknown as CodeRow[])
        .map(toCode)
        .sort((a, b) =>
          a.billable !== b.billable ? (a.billable ? -1 : 1) : a.code < b.code ? -1 : a.code > b.code ? 1 : 0,
        )
        .slice(0, limit),
  };
}

/**
 * FTS5 MATCH text for words that must all appear, each as a word prefix: `"suic"* "ideat"*`. The
 * words are letters and digits only (shared/billing/icd10.ts readIcd10Query), and each is quoted, so
 * OR, AND, NOT, NEAR and the like are words here, never operators.
 */
export const matchText = (words: readonly string[]) => words.map((w) => `"${w.replaceAll('"', '')}"*`).join(' ');

/**
 * Codes whose description has every word (as a word prefix), in force in `fy`. The index is walked
 * in rowid order, which is the answer's order (billable first, then by code), so it stops at `limit`.
 */
export function byWords(words: readonly string[], fy: number, limit: number): Read<Icd10Code[]> {
  const query = qb
    .selectFrom('icd10cm_fts')
    .innerJoin('icd10cm', 'icd10cm.id', 'icd10cm_fts.rowid')
    .select(['icd10cm.code', 'icd10cm.description', 'icd10cm.billable'])
    .where(sql<boolean>`icd10cm_fts MATCH ${matchText(words)}`)
    .where('icd10cm.first_fy', '<=', fy)
    .where('icd10cm.last_fy', '>=', fy)
    .orderBy('icd10cm_fts.rowid')
    .limit(limit)
    .compile();
  return { query, map: (rows) => (rows as unknown as CodeRow[]).map(toCode) };
}

interface VersionRow {
  code: string;
  first_fy: number;
  last_fy: number;
  billable: number;
  manifestation: number;
  description: string;
}

/** How many billable codes under a header come back, to name a few in the message. */
const EXAMPLES = 8;

/**
 * Every version of the given codes (dotted form) — and of the codes stored on the confirmation of
 * `appointmentId`, when given (a correction that keeps them) — plus the first billable codes under
 * each, for the message that names a header. One statement, so it joins a batch that is already
 * being sent.
 */
export function lookup(
  codes: readonly string[],
  storedOn?: { providerId: string; appointmentId: string },
): Read<Icd10Version[]> {
  const stored = storedOn
    ? sql`UNION SELECT value FROM json_each((SELECT diagnosis_codes FROM confirmations WHERE appointment_id = ${storedOn.appointmentId} AND provider_id = ${storedOn.providerId}))`
    : sql``;
  const query = sql`WITH asked(code) AS (SELECT value FROM json_each(${JSON.stringify(codes)}) ${stored})
SELECT code, first_fy, last_fy, billable, manifestation, description FROM icd10cm WHERE code IN (SELECT code FROM asked)
UNION
SELECT c.code, c.first_fy, c.last_fy, c.billable, c.manifestation, c.description FROM asked a CROSS JOIN icd10cm c
WHERE c.id IN (SELECT x.id FROM icd10cm x WHERE x.code > a.code AND x.code < a.code || '~' AND x.billable = 1 ORDER BY x.code LIMIT ${EXAMPLES})`.compile(
    qb,
  );
  return {
    query,
    map: (rows) =>
      (rows as unknown as VersionRow[]).map((r) => ({
        code: r.code,
        firstFy: r.first_fy,
        lastFy: r.last_fy,
        billable: r.billable === 1,
        manifestation: r.manifestation === 1,
        description: r.description,
      })),
  };
}
