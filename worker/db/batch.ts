// D1 has no interactive transactions: multi-statement writes are compiled Kysely
// queries sent as one db.batch, which D1 runs atomically (all or nothing).
import type { CompiledQuery } from 'kysely';

export type Statement = CompiledQuery | D1PreparedStatement;

export function prepare(d1: D1Database, q: Statement): D1PreparedStatement {
  if (isCompiled(q)) return d1.prepare(q.sql).bind(...(q.parameters as unknown[]));
  return q;
}

export async function runBatch(d1: D1Database, statements: Statement[]): Promise<D1Result[]> {
  if (statements.length === 0) return [];
  return d1.batch(statements.map((s) => prepare(d1, s)));
}

function isCompiled(q: Statement): q is CompiledQuery {
  return typeof (q as CompiledQuery).sql === 'string' && Array.isArray((q as CompiledQuery).parameters);
}
