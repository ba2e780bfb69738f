// Counts sequential D1 round trips: every `batch` is one, every prepared statement run on its own
// (`all`, `first`, `run`, `raw`) is one. Used by the tests (a budget per route) and, outside
// production, reported on each response as `x-d1-round-trips` for the benchmarks.
const ORIGINAL = Symbol('original statement');

export interface CountedD1 {
  d1: D1Database;
  count: () => number;
}

export function countRoundTrips(d1: D1Database): CountedD1 {
  let n = 0;
  const countStatement = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === ORIGINAL) return target;
        const value = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        if (prop === 'bind') return (...args: unknown[]) => countStatement(value.apply(target, args));
        if (prop === 'all' || prop === 'first' || prop === 'run' || prop === 'raw') {
          return (...args: unknown[]) => {
            n++;
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
  const wrapped = new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'prepare') return (query: string) => countStatement(value.call(target, query));
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          n++;
          // D1 wants its own statement objects in a batch, not the counting proxies.
          return value.call(target, statements.map(unwrap));
        };
      }
      return value.bind(target);
    },
  });
  return { d1: wrapped, count: () => n };
}

function unwrap(stmt: D1PreparedStatement): D1PreparedStatement {
  return (stmt as unknown as { [ORIGINAL]?: D1PreparedStatement })[ORIGINAL] ?? stmt;
}
