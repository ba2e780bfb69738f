// The per-request Kysely over the real D1 binding: results in Kysely 0.28's shape (no pre-0.23
// `numUpdatedOrDeletedRows`, which makes Kysely log "outdated driver/plugin detected!"), and rows,
// affected-row counts and insert ids as kysely-d1 reads them from D1.
import { env } from 'cloudflare:workers';
import { CompiledQuery } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { connect, D1DialectCurrent } from '../../worker/db/kysely';

describe('Kysely over D1', () => {
  it('answers without the legacy row count, with the current fields', async () => {
    const driver = new D1DialectCurrent({ database: env.DB }).createDriver();
    await driver.init();
    const conn = await driver.acquireConnection();
    await conn.executeQuery(
      CompiledQuery.raw('CREATE TABLE IF NOT EXISTS kysely_probe (id INTEGER PRIMARY KEY, v TEXT)'),
    );
    const inserted = await conn.executeQuery(CompiledQuery.raw("INSERT INTO kysely_probe (v) VALUES ('a'), ('b')"));
    expect('numUpdatedOrDeletedRows' in inserted).toBe(false);
    expect(inserted.numAffectedRows).toBe(2n);
    expect(typeof inserted.insertId).toBe('bigint');
    const read = await conn.executeQuery<{ v: string }>(CompiledQuery.raw('SELECT v FROM kysely_probe ORDER BY id'));
    expect(read.rows).toEqual([{ v: 'a' }, { v: 'b' }]);
    await conn.executeQuery(CompiledQuery.raw('DROP TABLE kysely_probe'));
    await driver.releaseConnection(conn);
  });

  it('a query through connect() logs nothing', async () => {
    const log = vi.spyOn(console, 'log');
    try {
      const db = connect(env.DB);
      const r = await db.executeQuery(CompiledQuery.raw('SELECT 1 AS one'));
      expect(r.rows).toEqual([{ one: 1 }]);
      expect(log.mock.calls.map((c) => String(c[0]))).not.toContainEqual(expect.stringContaining('outdated driver'));
    } finally {
      log.mockRestore();
    }
  });
});
