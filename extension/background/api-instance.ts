// The background's API client, wired to the stored API address and token.
import { createApiClient, type ApiClient } from '../api';
import { clearAuth, getApiBase, getAuth } from '../storage';

export function createBackgroundApi(fetchImpl?: typeof fetch): ApiClient {
  return createApiClient({
    baseUrl: getApiBase,
    token: async () => (await getAuth())?.token ?? null,
    onUnauthorized: clearAuth,
    fetch: fetchImpl,
  });
}
