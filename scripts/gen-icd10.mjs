// Turns the ICD-10-CM code sets in data/icd10cm/ (one TSV per fiscal year, CMS release) into the D1
// migration that loads them: worker/migrations/0008_icd10cm.sql.
// Usage: node scripts/gen-icd10.mjs          (write the migrations)
//        node scripts/gen-icd10.mjs --check  (exit 1 when a migration is stale, for CI)
//
// A new fiscal year: add data/icd10cm/icd10cm-fyYYYY.tsv and a new entry to MIGRATIONS below (the
// next free migration number, all the years to hold). Each generated migration drops the table and
// loads its years whole, so the ones already applied stay as they are (a deployed migration never
// changes) and the newest one decides what the table holds.
//
// Each code is stored once per *version*: a row holds the fiscal years it is in force unchanged
// (first_fy..last_fy), so two years that agree on 98k codes take 98k rows, not 196k. A code whose
// description or billable flag changes gets a second row from the year of the change.
// Rows are numbered billable first, then by code: that is the search's order (API.md), so a word
// search walks the full-text index in rowid order and stops at the 20th hit instead of sorting.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Paths, not URLs: the unit tests import this module under happy-dom, whose URL is not Node's.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = 'data/icd10cm';
/**
 * Each generated migration, the fiscal years it loads and the word index's prefix lengths. 0008 was
 * shipped without prefix indexes; 0041_icd10cm_prefix_index.sql rebuilt the index with FTS_PREFIX,
 * so every later entry must pass `ftsPrefix: FTS_PREFIX` to keep them.
 */
export const FTS_PREFIX = '1 2 3';
export const MIGRATIONS = [{ file: 'worker/migrations/0008_icd10cm.sql', years: [2026, 2027], ftsPrefix: undefined }];
const HEADER = 'code\tbillable\tdescription';
// billing.md: the ICD-10-CM code shape, dotted form as stored (QA0, QA1: a letter second, since FY2026).
const SHAPE = /^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(\.[0-9A-Z]{1,4})?$/;
// billing.md: a manifestation code's title says "in (other) diseases classified elsewhere" (CMS's
// convention; the variants in the release: "in diseases / other diseases / other specified diseases /
// infectious and parasitic diseases / chronic diseases / bacterial diseases / conditions classified
// elsewhere"). The codes under such a heading are manifestations too (M14.6 Charcot's joint under M14
// "Arthropathies in other diseases classified elsewhere", H36.81 under H36), as in CMS's tabular list.
// "as the cause of diseases classified elsewhere" (B95-B97) and F54 "associated with ... diseases
// classified elsewhere" are not manifestation titles.
export const MANIFESTATION =
  /\bin (?:(?:other|specified|chronic|infectious|and|parasitic|bacterial) )*(?:diseases?|conditions) classified elsewhere\b/i;
// D1: a statement is at most 100 KB; stay well below.
const MAX_STATEMENT = 4_000;

/** The fiscal years shipped, from the file names (icd10cm-fy2026.tsv …), oldest first. */
export function fiscalYears() {
  return readdirSync(path.join(root, DATA_DIR))
    .map((name) => /^icd10cm-fy(\d{4})\.tsv$/.exec(name)?.[1])
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

/** One year's rows, checked: [{ code, billable, description }] in file order. */
export function readYear(fy) {
  const file = `${DATA_DIR}/icd10cm-fy${fy}.tsv`;
  const text = readFileSync(path.join(root, file), 'utf8');
  if (text.includes('\r')) throw new Error(`${file}: expected LF line endings`);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== HEADER) throw new Error(`${file}: expected the header "${HEADER.replaceAll('\t', '\\t')}"`);
  const seen = new Set();
  return lines.slice(1).map((line, i) => {
    const where = `${file}:${i + 2}`;
    const fields = line.split('\t');
    if (fields.length !== 3) throw new Error(`${where}: expected 3 tab-separated fields, got ${fields.length}`);
    const [code, billable, description] = fields;
    if (!SHAPE.test(code)) throw new Error(`${where}: "${code}" is not a dotted ICD-10-CM code`);
    if (billable !== '0' && billable !== '1') throw new Error(`${where}: billable must be 0 or 1, got "${billable}"`);
    if (description.trim() === '' || description !== description.trim())
      throw new Error(`${where}: empty or padded description`);
    if (seen.has(code)) throw new Error(`${where}: ${code} appears twice`);
    seen.add(code);
    return { code, billable: billable === '1', description };
  });
}

/** Codes of one year that are manifestations: their own title, or a heading above them, says so. */
export function manifestations(rows) {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const result = new Set();
  for (const r of rows) {
    const compact = r.code.replace('.', '');
    for (let n = 3; n <= compact.length; n++) {
      const ancestor = n === 3 ? compact.slice(0, 3) : `${compact.slice(0, 3)}.${compact.slice(3, n)}`;
      if (MANIFESTATION.test(byCode.get(ancestor)?.description ?? '')) {
        result.add(r.code);
        break;
      }
    }
  }
  return result;
}

/** The rows of the table: one per code version, numbered billable first, then by code. */
export function versions(years) {
  const all = [];
  const open = new Map(); // code → its version in force in the previous year
  for (const fy of years) {
    const rows = readYear(fy);
    const manifest = manifestations(rows);
    const next = new Map();
    for (const r of rows) {
      const manifestation = manifest.has(r.code);
      const prev = open.get(r.code);
      if (
        prev &&
        prev.last_fy === fy - 1 &&
        prev.billable === r.billable &&
        prev.description === r.description &&
        prev.manifestation === manifestation
      ) {
        prev.last_fy = fy;
        next.set(r.code, prev);
      } else {
        const v = {
          code: r.code,
          first_fy: fy,
          last_fy: fy,
          billable: r.billable,
          manifestation,
          description: r.description,
        };
        all.push(v);
        next.set(r.code, v);
      }
    }
    open.clear();
    for (const [k, v] of next) open.set(k, v);
  }
  // Plain code-unit order is ICD order: a code before its extensions, digits before letters (F32.9, F32.A).
  all.sort((a, b) =>
    a.billable !== b.billable
      ? a.billable
        ? -1
        : 1
      : a.code < b.code
        ? -1
        : a.code > b.code
          ? 1
          : a.first_fy - b.first_fy,
  );
  return all.map((v, i) => ({ id: i + 1, ...v }));
}

/**
 * What the table must hold for one year, as the worker test recomputes it from D1: the rows in force
 * in that year sorted by code, one `code\tbillable\tdescription\n` line each, and their SHA-256.
 */
export function yearDigest(fy) {
  const rows = readYear(fy).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const text = rows.map((r) => `${r.code}\t${r.billable ? 1 : 0}\t${r.description}\n`).join('');
  return {
    fy,
    rows: rows.length,
    billable: rows.filter((r) => r.billable).length,
    manifestations: manifestations(rows).size,
    sha256: createHash('sha256').update(text).digest('hex'),
  };
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

export function render(years, ftsPrefix) {
  const rows = versions(years);
  const out = [
    `-- ICD-10-CM, every chapter, fiscal years ${years.join(', ')} (a year runs 1 October to 30 September).`,
    '-- GENERATED by scripts/gen-icd10.mjs from data/icd10cm/*.tsv: do not edit, re-run the script.',
    '-- Source, checks and licence (public domain, CMS/NCHS): data/icd10cm/SOURCE.md.',
    '-- One row per code version: in force unchanged from first_fy to last_fy. Rows are numbered billable',
    '-- first, then by code (the search order). manifestation: never the first-listed diagnosis.',
    '-- A later generated migration replaces the whole table (new fiscal years).',
    'DROP TABLE IF EXISTS icd10cm_fts;',
    'DROP TABLE IF EXISTS icd10cm;',
    'CREATE TABLE icd10cm (',
    '  id INTEGER PRIMARY KEY,',
    '  code TEXT NOT NULL,',
    '  first_fy INTEGER NOT NULL,',
    '  last_fy INTEGER NOT NULL,',
    '  billable INTEGER NOT NULL CHECK (billable IN (0, 1)),',
    '  manifestation INTEGER NOT NULL CHECK (manifestation IN (0, 1)),',
    '  description TEXT NOT NULL,',
    '  CHECK (first_fy <= last_fy)',
    ');',
    '-- Word search: an external-content FTS5 index over the descriptions (no second copy of the text),',
    "-- without positions (detail='none': the search needs words and word prefixes, not phrases).",
    `CREATE VIRTUAL TABLE icd10cm_fts USING fts5(description, content='icd10cm', content_rowid='id', detail='none', tokenize='unicode61 remove_diacritics 2'${ftsPrefix ? `, prefix='${ftsPrefix}'` : ''});`,
  ];
  const head = 'INSERT INTO icd10cm (id, code, first_fy, last_fy, billable, manifestation, description) VALUES';
  let values = [];
  let size = head.length;
  const flush = () => {
    if (values.length > 0) out.push(`${head}\n${values.join(',\n')};`);
    values = [];
    size = head.length;
  };
  for (const r of rows) {
    const tuple = `(${r.id},${quote(r.code)},${r.first_fy},${r.last_fy},${r.billable ? 1 : 0},${r.manifestation ? 1 : 0},${quote(r.description)})`;
    if (size + tuple.length + 2 > MAX_STATEMENT) flush();
    values.push(tuple);
    size += tuple.length + 2;
  }
  flush();
  // Indexes after the rows: one sort instead of 98k ordered inserts.
  out.push('-- Code lookups and code-prefix search.', 'CREATE UNIQUE INDEX icd10cm_code ON icd10cm (code, first_fy);');
  out.push("INSERT INTO icd10cm_fts (icd10cm_fts) VALUES ('rebuild');");
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shipped = fiscalYears();
  const covered = MIGRATIONS.at(-1).years;
  if (shipped.join() !== covered.join()) {
    console.error(
      `data/icd10cm has fiscal years ${shipped.join(', ')}; the newest migration loads ${covered.join(', ')}`,
    );
    process.exit(1);
  }
  let stale = false;
  for (const { file, years, ftsPrefix } of MIGRATIONS) {
    const output = render(years, ftsPrefix);
    const outPath = path.join(root, file);
    if (process.argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(outPath, 'utf8');
      } catch {
        // a missing migration is stale too
      }
      if (current !== output) {
        console.error(`${file} is out of date: run node scripts/gen-icd10.mjs`);
        stale = true;
      } else console.log(`${file} is up to date`);
    } else {
      writeFileSync(outPath, output);
      console.log(`wrote ${file} (${output.length} characters)`);
    }
  }
  if (stale) process.exit(1);
}
