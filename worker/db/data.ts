// The data-access object the domain receives: it runs what the repositories build. A `Read<T>` is a
// compiled query with the mapping of its rows; `read(...)` sends several in ONE round trip (a D1
// batch), optionally with writes after them (an audit row); `write(...)` sends statements as one
// atomic batch. The domain never sees SQL, Kysely or the D1 binding.
import type { CompiledQuery } from 'kysely';
import { checkD1Limits, runBatch, type Statement } from './batch';
import { connect } from './kysely';

export interface Read<T> {
  query: CompiledQuery;
  map: (rows: Record<string, unknown>[]) => T;
}

export type ReadResults<R extends readonly Read<unknown>[]> = {
  [K in keyof R]: R[K] extends Read<infer T> ? T : never;
};

/** A read of rows as they come. */
export const rows = <T>(query: CompiledQuery): Read<T[]> => ({ query, map: (r) => r as T[] });
/** A read of the first row, or undefined. */
export const first = <T>(query: CompiledQuery): Read<T | undefined> => ({ query, map: (r) => r[0] as T | undefined });

/**
 * The data-access object over a D1 binding. `uncounted`: the plain binding when `d1` is the
 * round-trip counter (db/round-trips.ts), for work that outlives the request (`detached`).
 */
export function createData(d1: D1Database, uncounted: D1Database = d1) {
  const kysely = connect(d1);
  return {
    /** The same database for work after the response (email delivery): not in this request's count. */
    detached(): Data {
      return createData(uncounted);
    },
    /** One read alone: one round trip. */
    async one<T>(read: Read<T>): Promise<T> {
      checkD1Limits(read.query);
      const result = await kysely.executeQuery<Record<string, unknown>>(read.query);
      return read.map(result.rows);
    },
    /** Several reads, then `after` statements (e.g. audit rows), in one round trip. */
    async read<const R extends readonly Read<unknown>[]>(reads: R, after: Statement[] = []): Promise<ReadResults<R>> {
      if (reads.length === 1 && after.length === 0) return [await this.one(reads[0]!)] as ReadResults<R>;
      const results = await runBatch(d1, [...reads.map((r) => r.query), ...after]);
      return reads.map((r, i) => r.map((results[i]?.results ?? []) as Record<string, unknown>[])) as ReadResults<R>;
    },
    /** Statements, then reads of what they left, as one atomic batch: one round trip. */
    async writeThenRead<const R extends readonly Read<unknown>[]>(
      statements: Statement[],
      reads: R,
    ): Promise<[D1Result[], ReadResults<R>]> {
      const results = await runBatch(d1, [...statements, ...reads.map((r) => r.query)]);
      const n = statements.length;
      return [
        results.slice(0, n),
        reads.map((r, i) => r.map((results[n + i]?.results ?? []) as Record<string, unknown>[])) as ReadResults<R>,
      ];
    },
    /** Statements as one atomic batch: one round trip. Returns D1's result per statement. */
    write(statements: Statement[]): Promise<D1Result[]> {
      return runBatch(d1, statements);
    },
  };
}

export interface Data extends ReturnType<typeof createData> {}
export type { Statement };
