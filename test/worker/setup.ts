// Applies the real migrations to the test D1 before each file's tests.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll } from 'vitest';
import { testClock } from '../../worker/platform/clock';

beforeAll(async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
});

afterEach(() => {
  testClock.reset();
});
