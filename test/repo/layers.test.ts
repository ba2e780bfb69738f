// The Worker's layering (docs/ARCHITECTURE.md), checked on the source: imports point down only,
// and SQL, Kysely and the D1 binding live in worker/db alone.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKER = path.join(ROOT, 'worker');

/** Higher may import lower (or its own layer); never the other way. The app root (index, env) is on top. */
const RANK: Record<string, number> = { platform: 0, db: 1, email: 2, pages: 2, domain: 3, routes: 4, app: 5 };

function layerOf(file: string): string {
  const rel = path.relative(WORKER, file);
  const top = rel.split(path.sep)[0]!;
  if (top in RANK) return top;
  return 'app'; // index.ts, env.ts
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'migrations' || name === 'seed' ? [] : sources(full);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const files = sources(WORKER);
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1]!);

describe('worker layers', () => {
  it('finds the layers (a sanity check of this test itself)', () => {
    const layers = new Set(files.map(layerOf));
    for (const layer of ['platform', 'db', 'email', 'pages', 'domain', 'routes', 'app'])
      expect(layers).toContain(layer);
    expect(files.length).toBeGreaterThan(40);
  });

  it('imports point down: routes → domain → email/pages → db → platform', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (!target.startsWith(WORKER)) continue; // shared/ is below everything
        const to = layerOf(`${target}.ts`);
        if (RANK[to]! > RANK[from]!) upward.push(`${path.relative(ROOT, file)} (${from}) → ${spec} (${to})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('only worker/db imports Kysely or names the D1 types', () => {
    const outside = files.filter((f) => layerOf(f) !== 'db' && path.relative(WORKER, f) !== 'index.ts');
    const offenders = outside.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return /from 'kysely(-d1)?'/.test(text) || /\bD1(Database|PreparedStatement|Result)\b/.test(text);
    });
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });

  it('has no SQL outside worker/db', () => {
    const sql =
      /\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b|\.prepare\(|selectFrom\(|insertInto\(|updateTable\(|deleteFrom\(/;
    const offenders = files
      .filter((f) => layerOf(f) !== 'db')
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${path.relative(ROOT, f)}:${i + 1}` }))
          .filter(({ line }) => !/^\s*(\/\/|\*)/.test(line) && sql.test(line))
          .map(({ at }) => at),
      );
    expect(offenders).toEqual([]);
  });

  it('the domain never sees a Hono Context', () => {
    const domain = files.filter((f) => layerOf(f) === 'domain');
    const offenders = domain.filter((f) => /from 'hono'|from 'hono\//.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
