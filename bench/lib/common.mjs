// Shared by every benchmark: statistics, the machine, result fragments for RESULTS.md, and cleanup.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BENCH = path.join(ROOT, 'bench');
/**
 * Where each benchmark leaves its figures (one JSON fragment per measure, committed): run.mjs writes
 * RESULTS.md from every fragment here, so re-running one benchmark replaces its own section only and
 * each section says when, and under what load, it was measured.
 */
export const OUT = path.join(BENCH, 'results');

// ── statistics ──────────────────────────────────────────────────────────────────────────────────

/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}
export const median = (xs) => percentile(xs, 50);

export function summary(xs) {
  return {
    n: xs.length,
    median: median(xs),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    min: Math.min(...xs),
    max: Math.max(...xs),
  };
}

export const ms = (x, digits = 2) => (Number.isFinite(x) ? `${x.toFixed(digits)} ms` : '—');
export const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
export const int = (n) => Number(n).toLocaleString('en-US');

/** A Markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c ?? '').replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

// ── the machine ─────────────────────────────────────────────────────────────────────────────────

function version(pkg) {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

export function machine() {
  let workerd = `workerd ${version('workerd')}`;
  try {
    const bin = path.join(ROOT, 'node_modules/.bin/workerd');
    workerd = `${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()} (npm workerd ${version('workerd')})`;
  } catch {
    // the npm package's version names the same build
  }
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model ?? 'unknown',
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    workerd,
    wrangler: version('wrangler'),
    miniflare: version('miniflare'),
    autocannon: version('autocannon'),
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadavg: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

// ── results ─────────────────────────────────────────────────────────────────────────────────────

/**
 * What a benchmark hands to RESULTS.md: `rows` go into the summary table (one per measure), `body`
 * is its own section (Markdown), `goals` the verdicts. Also printed, so a lone run shows its figures.
 */
export function writeFragment(fragment) {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    path.join(OUT, `${fragment.id}.json`),
    `${JSON.stringify(
      {
        ...fragment,
        source: path.basename(process.argv[1] ?? ''),
        finishedAt: new Date().toISOString(),
        loadavg: machine().loadavg,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\n${fragment.body}\n`);
  for (const g of fragment.goals ?? []) console.log(`goal ${g.met ? 'met    ' : 'MISSED '} ${g.goal}: ${g.actual}`);
}

// ── cleanup ─────────────────────────────────────────────────────────────────────────────────────

const cleanups = [];
/** Runs `fn` at the end whatever happens (normal end, exception, Ctrl-C, SIGTERM from run.mjs). */
export function onCleanup(fn) {
  cleanups.push(fn);
}
export async function cleanup() {
  while (cleanups.length > 0) {
    const fn = cleanups.pop();
    try {
      await fn();
    } catch (err) {
      console.error('cleanup:', err instanceof Error ? err.message : err);
    }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

/** Runs a benchmark's main with cleanup and an overall time bound; exit code 0 = ran (goals are in the fragment). */
export async function main(name, fn, { timeoutMs = 240_000 } = {}) {
  const started = performance.now();
  const timer = setTimeout(() => {
    console.error(`${name}: still running after ${timeoutMs / 1000} s; giving up`);
    void cleanup().finally(() => process.exit(2));
  }, timeoutMs);
  try {
    await fn();
    console.log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(`${name} failed:`, err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  } finally {
    clearTimeout(timer);
    await cleanup();
  }
}

export const sleep = (ms_) => new Promise((r) => setTimeout(r, ms_));
