// Measure 4 — the outbox. 1,000 due emails drained by ONE cron run (the Worker's `scheduled` handler,
// bundled for Node, called in-process) with the local "mailbox" transport on a real local D1 (workerd's
// SQLite through Miniflare); time, CPU (without the D1 client's, as in measure 3) and duplicates (an
// email delivered twice = an outbox id twice in the mailbox). Baseline: the same with 100 emails; the
// ratio compares the time per email, so it shows whether a bigger queue costs more than linearly.
//
// Usage: node bench/outbox.mjs   (or npm run bench)
import { int, main, median, ms, ratio, table, writeFragment } from './lib/common.mjs';
import { importWorkerInNode, localD1, WORKER_VARS } from './lib/d1.mjs';

const SIZES = { baseline: 100, measured: 1000 };
const REPEAT = 3;

/** `n` due emails like the product's (HTML + text, an .ics for every other one), created a minute ago. */
function queueSql(n, tag) {
  const html = `<!doctype html><html><body>${'<p>Your session with Dr. Bench Mark is on Tuesday at 10:00 AM. Reply to this email if you need to move it.</p>'.repeat(40)}</body></html>`;
  const text = 'Your session with Dr. Bench Mark is on Tuesday at 10:00 AM.\n'.repeat(20);
  const ics = JSON.stringify([
    {
      filename: 'session.ics',
      contentType: 'text/calendar; method=REQUEST',
      content: `BEGIN:VCALENDAR\nVERSION:2.0\n${'X-PAD:0123456789\n'.repeat(30)}END:VCALENDAR`,
    },
  ]);
  return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n})
    INSERT INTO outbox (id, provider_id, kind, dedupe_key, to_addr, from_addr, subject, text_body, html_body, attachments, next_attempt_at, created_at)
    SELECT 'eml_${tag}_' || i, 'prv_bench', 'session_details', NULL, 'client' || i || '@example.com', 'Caseload <no-reply@caseload.local>',
      'Your session on Tuesday', '${text}', '${html}', CASE WHEN i % 2 = 0 THEN '${ics.replaceAll("'", "''")}' ELSE '[]' END,
      strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 minute'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 minute')
    FROM n`;
}

await main(
  'outbox',
  async () => {
    const worker = (await importWorkerInNode()).default;
    const { shim } = await localD1();
    const env = { ...WORKER_VARS, DB: shim };
    const warn = console.warn;
    console.warn = (...args) => (String(args[0]).includes('outdated driver') ? undefined : warn(...args));

    async function cronRun(n, tag) {
      await shim.prepare('DELETE FROM outbox').run();
      await shim.prepare('DELETE FROM dev_mailbox').run();
      await shim.prepare(queueSql(n, tag)).run();
      const pending = [];
      const ctx = { waitUntil: (p) => pending.push(p), passThroughOnException() {}, props: {} };
      const controller = { cron: '* * * * *', scheduledTime: Date.now(), noRetry() {} };
      shim.resetStats();
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await worker.scheduled(controller, env, ctx);
      await Promise.all(pending);
      const c = process.cpuUsage(c0);
      const wall = performance.now() - t0;
      const calls = shim.stats.calls;
      const d1Cpu = shim.stats.cpuMs;
      const d1Wall = shim.stats.wallMs;
      const status = Object.fromEntries(
        (await shim.prepare('SELECT status, count(*) AS n FROM outbox GROUP BY status').all()).results.map((r) => [
          r.status,
          r.n,
        ]),
      );
      const delivered = await shim
        .prepare('SELECT count(*) AS n, count(DISTINCT outbox_id) AS d FROM dev_mailbox')
        .first();
      const total = (c.user + c.system) / 1000;
      return {
        n,
        wall,
        cpu: total - d1Cpu,
        total,
        calls,
        d1Wall,
        sent: status.sent ?? 0,
        status,
        delivered: delivered.n,
        duplicates: delivered.n - delivered.d,
      };
    }

    await cronRun(50, 'warm'); // warm-up: JIT and connections
    const runs = { baseline: [], measured: [] };
    for (let r = 0; r < REPEAT; r++) {
      runs.baseline.push(await cronRun(SIZES.baseline, `b${r}`));
      runs.measured.push(await cronRun(SIZES.measured, `m${r}`));
    }
    console.warn = warn;

    const agg = (list) => ({
      n: list[0].n,
      wall: median(list.map((x) => x.wall)),
      cpu: median(list.map((x) => x.cpu)),
      total: median(list.map((x) => x.total)),
      calls: median(list.map((x) => x.calls)),
      d1Wall: median(list.map((x) => x.d1Wall)),
      sentAll: list.every((x) => x.sent === x.n && x.delivered === x.n),
      duplicates: list.reduce((s, x) => s + x.duplicates, 0),
      status: list.map((x) => JSON.stringify(x.status)).join(' '),
    });
    const base = agg(runs.baseline);
    const big = agg(runs.measured);
    const perEmailRatio = big.wall / big.n / (base.wall / base.n);
    const goals = [
      {
        goal: '1,000 due emails all sent by one cron run',
        actual: big.sentAll ? 'all sent' : `not all: ${big.status}`,
        met: big.sentAll,
      },
      {
        goal: 'zero duplicates',
        actual: String(big.duplicates + base.duplicates),
        met: big.duplicates + base.duplicates === 0,
      },
    ];
    const row = (label, a) => [
      label,
      int(a.n),
      ms(a.wall, 0),
      ms(a.wall / a.n),
      ms(a.cpu, 0),
      ms(a.cpu / a.n, 3),
      ms(a.total, 0),
      int(a.calls),
      ms(a.d1Wall, 0),
      a.sentAll ? 'yes' : 'no',
      a.duplicates,
    ];
    const body = [
      `One call of the Worker's \`scheduled\` handler (reminders, drain, prune — as the cron runs every minute), waitUntil work awaited, with EMAIL_TRANSPORT=mailbox (each email is one D1 insert into dev_mailbox). Medians of ${REPEAT} runs per size, alternating sizes. CPU excludes the D1 client's (see measure 3) — but the drain keeps 10 sends in flight, so much of its own work runs while a D1 call is outstanding and is excluded too: read "CPU" as a lower bound and "CPU with D1 client" as an upper bound. Time includes D1 round trips from Node to workerd, which cost more than a Worker's own binding calls, so it is an upper bound.`,
      '',
      table(
        [
          'emails due',
          'count',
          'time',
          'per email',
          'CPU',
          'CPU per email',
          'CPU with D1 client',
          'D1 calls',
          'in D1',
          'all sent',
          'duplicates',
        ],
        [row('baseline', base), row('measured', big)],
      ),
      '',
      `Time per email at 1,000 / at 100: **${ratio(perEmailRatio)}** (≈ 1 means the drain scales linearly). Goal: all 1,000 sent in one run, zero duplicates.`,
    ].join('\n');
    writeFragment({
      id: '4-outbox',
      title: '4. The outbox',
      rows: [
        {
          measure: 'Outbox: 100 emails, one cron run (baseline)',
          median: ms(base.wall, 0),
          p95: '',
          p99: '',
          ratio: '1.00× (per email)',
          goal: '',
          met: '',
          note: `CPU ${ms(base.cpu, 0)}`,
        },
        {
          measure: 'Outbox: 1,000 emails, one cron run',
          median: ms(big.wall, 0),
          p95: '',
          p99: '',
          ratio: `${ratio(perEmailRatio)} (per email)`,
          goal: 'all sent, 0 duplicates',
          met: goals.every((g) => g.met),
          note: `CPU ${ms(big.cpu, 0)} (${ms(big.cpu / big.n, 3)}/email), ${big.duplicates} duplicates`,
        },
      ],
      body,
      goals,
    });
  },
  { timeoutMs: 180_000 },
);
