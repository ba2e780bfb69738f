// The typed Hono environment every route uses (the bindings' types: platform/config.ts).
import type { Data } from '../db/data';
import type { StoredResponse } from '../db/idempotency';
import type { Provider, Remember } from '../domain/context';
import type { Bindings } from '../platform/config';

export type { Bindings, Config, Secrets } from '../platform/config';

/** The signed-in provider (set by the /v1 token check). */
export type AuthedProvider = Provider;

export interface AppEnv {
  Bindings: Bindings;
  Variables: {
    /** The request's data-access object (db/data.ts), over the D1 binding. */
    data: Data;
    provider: AuthedProvider;
    /** The saved response for this request's Idempotency-Key, read together with the token. */
    idempotencySaved: StoredResponse | undefined;
    /** On an idempotent route with a key: saves the response in the change's own batch. */
    remember: Remember | undefined;
  };
}
