// Build-time settings read through import.meta.env.
interface ImportMetaEnv {
  /** The API address a release build talks to; development builds use the local API. */
  readonly WXT_API_BASE?: string;
}
