// What `env` from cloudflare:workers holds in tests: the generated bindings (Cloudflare.Env, from
// worker/worker-configuration.d.ts), the secrets vitest.config.ts sets, and the test-only bindings.
import type { D1Migration } from 'cloudflare:test';
import type { Secrets } from '../../worker/platform/config';

declare global {
  namespace Cloudflare {
    interface Env extends Secrets {
      TEST_MIGRATIONS: D1Migration[];
      TEST_SEED_SQL: string;
      OPENAPI_JSON: string;
      /** JSON: per fiscal year { fy, rows, billable, manifestations, sha256 } of data/icd10cm (vitest.config.ts). */
      ICD10CM_DIGESTS: string;
      /** tools/x12valid behind a service binding (vitest.config.ts): POST a file → { ok, output }. */
      X12VALID: Fetcher;
    }
  }
}
