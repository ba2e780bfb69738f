// Applies the real migrations to the test D1 before each file's tests.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll } from 'vitest';
import { testClock } from '../../worker/platform/clock';

// Loading ICD-10-CM (0008_icd10cm.sql: 98k rows and their full-text index) costs about a second of
// CPU in every file that gets it, and each file starts from an empty database. These files never
// look at a diagnosis code, so they get the table empty (schema only). Any other file — a new one
// too — gets the whole code set; a file moved here that confirms a session fails with "not an
// ICD-10-CM code".
const WITHOUT_ICD10CM = new Set([
  'appointments-dst.test.ts',
  'auth.test.ts',
  'client-pages.test.ts',
  'clients.test.ts',
  'conventions.test.ts',
  'email-notify.test.ts',
  'email-reminders.test.ts',
  'email-transports.test.ts',
  'health.test.ts',
  'invite-escaping.test.ts',
  'outbox.test.ts',
  'page-headers.test.ts',
  'retention.test.ts',
  'schema.test.ts',
  'secret-equals.test.ts',
  'smoke.test.ts',
  'templates.test.ts',
]);
const isCodeRows = (query: string) => query.startsWith('INSERT INTO icd10cm (');

// Vitest passes the file as the hook's second argument; the first (fixtures) must be a pattern.
// biome-ignore lint/correctness/noEmptyPattern: no fixtures are used, only the file
beforeAll(async ({}, suite) => {
  const file = suite.file.filepath.split('/').pop() ?? '';
  const migrations = WITHOUT_ICD10CM.has(file)
    ? env.TEST_MIGRATIONS.map((m) => ({ ...m, queries: m.queries.filter((q) => !isCodeRows(q)) }))
    : env.TEST_MIGRATIONS;
  await applyD1Migrations(env.DB, migrations);
}, 120_000); // the code set takes ~1 s of CPU; far more on a busy shared machine than the 10 s default

afterEach(() => {
  testClock.reset();
});
