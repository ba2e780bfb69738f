// A write is a list of compiled statements sent as one D1 batch, which D1 runs atomically (all or
// nothing): D1 has no interactive transactions. A failed guard or constraint rolls the whole batch back.
import { type CompiledQuery, sql } from 'kysely';
import { qb } from './kysely';

export type Statement = CompiledQuery;

/**
 * D1's limits per statement (developers.cloudflare.com/d1/platform/limits): at most 100 bound
 * parameters and 100,000 bytes of SQL. The local D1 (plain SQLite) allows far more, so a list bound
 * item by item (`id IN (?, ?, …)`) would pass every local test and fail in production: every
 * statement is checked here, and lists go in as one JSON parameter (`json_each(?)`).
 */
export const D1_MAX_BOUND_PARAMETERS = 100;
export const D1_MAX_SQL_BYTES = 100_000;

export function checkD1Limits(q: Statement): void {
  if (q.parameters.length > D1_MAX_BOUND_PARAMETERS) {
    throw new Error(`A statement binds ${q.parameters.length} parameters; D1 allows ${D1_MAX_BOUND_PARAMETERS}`);
  }
  if (q.sql.length > D1_MAX_SQL_BYTES / 4 && new TextEncoder().encode(q.sql).length > D1_MAX_SQL_BYTES) {
    throw new Error(`A statement's SQL is over D1's ${D1_MAX_SQL_BYTES} bytes`);
  }
}

export function prepare(d1: D1Database, q: Statement): D1PreparedStatement {
  checkD1Limits(q);
  return d1.prepare(q.sql).bind(...(q.parameters as unknown[]));
}

export async function runBatch(d1: D1Database, statements: Statement[]): Promise<D1Result[]> {
  if (statements.length === 0) return [];
  return d1.batch(statements.map((s) => prepare(d1, s)));
}

/** Message of the error a failed guard raises (SQLite's json() on invalid JSON), to tell it from other failures. */
export const GUARD_FAILED = /malformed JSON/i;

export const isGuardFailure = (err: unknown) => err instanceof Error && GUARD_FAILED.test(err.message);

/** A unique index refused a row: two writers raced for the same thing (e.g. `table` = 'clients'). */
export const isUniqueViolation = (err: unknown, table?: string) =>
  err instanceof Error &&
  /UNIQUE constraint failed/i.test(err.message) &&
  (table === undefined || err.message.includes(`${table}.`));

/**
 * A statement that fails — and so rolls back the whole D1 batch — unless `condition` holds.
 * SQLite has no RAISE outside triggers; json() of invalid text is a portable way to raise an error.
 */
export function guard(condition: ReturnType<typeof sql>): Statement {
  return sql`SELECT CASE WHEN ${condition} THEN 1 ELSE json('batch guard failed') END AS ok`.compile(qb);
}

/** A list as ONE bound parameter, for `where(col, 'in', inJson(ids))`: D1 binds at most 100 per statement. */
export const inJson = (values: readonly string[]) =>
  sql<string>`(SELECT value FROM json_each(${JSON.stringify(values)}))`;
