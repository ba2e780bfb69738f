// Where the Worker's CPU goes: a V8 CPU profile (node:inspector) around some work, and its samples
// attributed to the code they ran in — a package of the bundle (Kysely, Hono, Valibot …), a folder of
// the Worker, or a Node built-in the Worker called (Web Crypto, the fetch classes), which workerd
// implements natively instead.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { ROOT } from './common.mjs';

/** Runs `fn` under the sampling profiler (every `intervalUs` µs); returns the profile. */
export async function profile(fn, intervalUs = 100) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    await fn();
    return (await session.post('Profiler.stop')).profile;
  } finally {
    session.disconnect();
  }
}

/** The source each line of an esbuild bundle came from, by esbuild's `// path` comments (relative to ROOT, its absWorkingDir). */
function sourceMap(bundlePath) {
  const marks = [];
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(line);
      if (m) marks.push([i, path.relative(ROOT, path.resolve(ROOT, m[1]))]);
    });
  return (line) => {
    let lo = 0;
    let hi = marks.length - 1;
    let found = '';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (marks[mid][0] <= line) {
        found = marks[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

const PACKAGES = {
  kysely: 'Kysely (building and compiling SQL)',
  'kysely-d1': 'kysely-d1 (the driver)',
  hono: 'Hono (routing, context, middleware)',
  valibot: 'Valibot (parsing the input)',
};
const WEB_CRYPTO = "Web Crypto (Node's own: SHA-256, AES-GCM, random bytes)";
const FETCH_CLASSES = "Request, Response, Headers, URL (Node's undici)";

function groupOf(source) {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (m) return PACKAGES[m[1]] ?? m[1];
  if (/^worker\/platform\/(crypto|notes-crypto)\./.test(source)) return WEB_CRYPTO;
  if (source.startsWith('shared/time/')) return 'shared/time (time zones, Intl)';
  if (source.startsWith('shared/billing/')) return 'shared/billing (CPT and ICD-10 rules)';
  const dir = source.split('/').slice(0, 2).join('/');
  return dir || 'the bundle';
}

/**
 * Shares of the Worker's samples by where they ran: from each sample's leaf up to the first frame of
 * the bundle; Node internals on the way name the built-in it was in. Samples with no frame of the
 * bundle are outside the Worker (the harness) and left out, except garbage collection.
 */
export function breakdown(prof, bundlePath) {
  const sourceOf = sourceMap(bundlePath);
  const bundleUrl = new URL(`file://${bundlePath}`).href;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map();
  let worker = 0;
  let outside = 0;
  const add = (group, dt) => {
    time.set(group, (time.get(group) ?? 0) + dt);
    worker += dt;
  };
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0;
    const leaf = byId.get(prof.samples[i]);
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') continue;
    if (name === '(garbage collector)') {
      add('garbage collection', dt);
      continue;
    }
    let builtin = null;
    let group = null;
    for (let id = leaf.id; id !== undefined && group === null; id = parent.get(id)) {
      const { url, functionName } = byId.get(id).callFrame;
      if (url === bundleUrl) group = builtin ?? groupOf(sourceOf(byId.get(id).callFrame.lineNumber));
      else if (url.includes('internal/crypto')) builtin = WEB_CRYPTO;
      else if (/undici|internal\/url|internal\/webstreams/.test(url)) builtin ??= FETCH_CLASSES;
      else if (!url && (functionName === 'parse' || functionName === 'stringify')) builtin ??= 'JSON';
    }
    if (group === null) outside += dt;
    else add(group, dt);
  }
  const groups = [...time].map(([what, t]) => ({ what, share: t / worker })).sort((a, b) => b.share - a.share);
  return { groups, outsideShare: outside / (worker + outside) };
}
