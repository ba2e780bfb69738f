// The one Node API the Worker uses (nodejs_compat in wrangler.toml), declared here rather than
// bringing every Node type into the Worker's compile.
declare module 'node:async_hooks' {
  export class AsyncLocalStorage<T> {
    run<R>(store: T, fn: () => R): R;
    getStore(): T | undefined;
  }
}
