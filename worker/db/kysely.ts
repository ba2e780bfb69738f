// Kysely in two roles: `qb` builds and compiles every query of the repositories (no connection
// needed to compile), and `connect` is the per-request instance over the D1 binding (kysely-d1) that
// runs a single compiled query. Batches go to D1 directly (see data.ts).
import {
  type CompiledQuery,
  type Driver,
  DummyDriver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { D1Dialect } from 'kysely-d1';
import type { Database } from './schema';

/** The query builder of every repository: compiles to SQLite, never executes. */
export const qb = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/**
 * kysely-d1 0.4 with its results in Kysely 0.28's shape: it also returns the pre-0.23
 * `numUpdatedOrDeletedRows`, for which Kysely logs "outdated driver/plugin detected!" in every isolate.
 */
export class D1DialectCurrent extends D1Dialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    return {
      init: () => driver.init(),
      acquireConnection: async () => {
        const conn = await driver.acquireConnection();
        return {
          async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
            const { numUpdatedOrDeletedRows: _old, ...result } = (await conn.executeQuery<R>(
              query,
            )) as QueryResult<R> & {
              numUpdatedOrDeletedRows?: bigint;
            };
            return result;
          },
          streamQuery: <R>(query: CompiledQuery, chunkSize?: number) => conn.streamQuery<R>(query, chunkSize),
        };
      },
      beginTransaction: (conn, settings) => driver.beginTransaction(conn, settings),
      commitTransaction: (conn) => driver.commitTransaction(conn),
      rollbackTransaction: (conn) => driver.rollbackTransaction(conn),
      releaseConnection: (conn) => driver.releaseConnection(conn),
      destroy: () => driver.destroy(),
    };
  }
}

/** One Kysely per request over the D1 binding (never a module-level handle on a binding). */
export function connect(d1: D1Database): Kysely<Database> {
  return new Kysely<Database>({ dialect: new D1DialectCurrent({ database: d1 }) });
}
