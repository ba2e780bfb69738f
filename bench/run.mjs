// `npm run bench`: runs every benchmark in this folder, one after another, then writes bench/RESULTS.md
// from what each left in bench/.out/. Exits non-zero when a benchmark could not run; a missed goal is
// reported in RESULTS.md (and fails the run only with BENCH_STRICT=1): these are measurements, not tests.
// `npm run bench -- popup outbox` runs only the benchmarks whose file names contain those words.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine, OUT, table } from './lib/common.mjs';

const DIR = import.meta.dirname;
const PER_BENCH_LIMIT_MS = 420_000;
const only = process.argv.slice(2);
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .filter((f) => only.length === 0 || only.some((w) => f.includes(w)))
  .sort();

// Only the fragments of the benchmarks about to run are replaced; the others stay as last measured.
mkdirSync(OUT, { recursive: true });
for (const f of readdirSync(OUT).filter((f) => f.endsWith('.json'))) {
  const source = JSON.parse(readFileSync(path.join(OUT, f), 'utf8')).source;
  if (files.includes(source)) rmSync(path.join(OUT, f));
}
const started = Date.now();
const ran = [];
for (const file of files) {
  console.log(`\n▸ ${file}`);
  const t = Date.now();
  // Its own process (and process group): a benchmark that hangs is stopped, with whatever it started.
  const child = spawn(process.execPath, [path.join(DIR, file)], { stdio: 'inherit', detached: true });
  const timer = setTimeout(() => {
    console.error(`${file}: over ${PER_BENCH_LIMIT_MS / 1000} s, stopping it`);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, 10_000).unref();
  }, PER_BENCH_LIMIT_MS);
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
  clearTimeout(timer);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  ran.push({ file, code, seconds: (Date.now() - t) / 1000 });
}
const totalSeconds = (Date.now() - started) / 1000;

const fragments = existsSync(OUT)
  ? readdirSync(OUT)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(path.join(OUT, f), 'utf8')))
  : [];
const m = machine();
const chromium = fragments.find((f) => f.chromium)?.chromium;
const verdict = (met) => (met === '' || met === undefined ? '' : met ? 'met' : '**missed**');
const goals = fragments.flatMap((f) => f.goals ?? []);
const missed = goals.filter((g) => !g.met);
const failed = ran.filter((r) => r.code !== 0);

const md = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC from bench/results/; how to read it: bench/README.md.`,
  '',
  '## Machine',
  '',
  table(
    ['', ''],
    [
      ['cores', `${m.cores} × ${m.cpu}`],
      ['memory', `${m.memoryGiB} GiB`],
      ['Node', m.node],
      ['workerd', m.workerd],
      ['wrangler / miniflare', `${m.wrangler} / ${m.miniflare}`],
      ['autocannon', m.autocannon],
      ...(chromium ? [['Chromium', chromium]] : []),
      ['OS', m.os],
      [
        'last run',
        `${totalSeconds.toFixed(0)} s (${ran.map((r) => `${r.file.replace('.mjs', '')} ${r.seconds.toFixed(0)} s`).join(', ')})`,
      ],
    ],
  ),
  '',
  '## Summary',
  '',
  "Medians and percentiles over each benchmark's samples; every ratio is to a baseline measured in the same benchmark run. The sections were not all measured at once: `npm run bench -- <name>` re-measures one and keeps the others (bench/results/*.json). When each was measured, and the load average when it finished (the machine is shared):",
  '',
  table(
    ['section', 'measured (UTC)', 'load average'],
    fragments.map((f) => [f.title, f.finishedAt ? f.finishedAt.slice(0, 16).replace('T', ' ') : '', f.loadavg ?? '']),
  ),
  '',
  table(
    ['measure', 'median', 'p95', 'p99', 'ratio to baseline', 'goal', 'verdict', 'note'],
    fragments.flatMap((f) =>
      f.rows.map((r) => [r.measure, r.median, r.p95, r.p99, r.ratio, r.goal, verdict(r.met), r.note ?? '']),
    ),
  ),
  '',
  missed.length === 0 && failed.length === 0
    ? 'Every goal met.'
    : [
        ...(failed.length
          ? [
              `**Did not run to the end:** ${failed.map((r) => `${r.file} (exit ${r.code})`).join(', ')} — see its output.`,
            ]
          : []),
        ...(missed.length
          ? ['**Goals missed** (causes in the sections below):', '', ...missed.map((g) => `- ${g.goal}: ${g.actual}`)]
          : []),
      ].join('\n'),
  '',
  ...fragments.flatMap((f) => [`## ${f.title}`, '', f.body, '']),
].join('\n');
writeFileSync(path.join(DIR, 'RESULTS.md'), md);
// Laid out as the repository's formatter lays out Markdown tables, so a fresh run keeps `npm run lint` clean.
spawnSync(path.join(DIR, '../node_modules/.bin/biome'), ['format', '--write', path.join(DIR, 'RESULTS.md'), OUT], {
  stdio: 'ignore',
});
console.log(
  `\nbench/RESULTS.md written; whole run ${totalSeconds.toFixed(0)} s; ${goals.length - missed.length}/${goals.length} goals met${failed.length ? `; FAILED: ${failed.map((r) => r.file).join(', ')}` : ''}.`,
);
for (const g of missed) console.log(`  missed: ${g.goal}: ${g.actual}`);
process.exit(failed.length > 0 || (process.env.BENCH_STRICT === '1' && missed.length > 0) ? 1 : 0);
