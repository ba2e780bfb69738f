// Kysely in two roles: `qb` builds and compiles every query of the repositories (no connection
// needed to compile), and `connect` is the per-request instance over the D1 binding (kysely-d1) that
// runs a single compiled query. Batches go to D1 directly (see data.ts).
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
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

/** One Kysely per request over the D1 binding (never a module-level handle on a binding). */
export function connect(d1: D1Database): Kysely<Database> {
  return new Kysely<Database>({ dialect: new D1Dialect({ database: d1 }) });
}
