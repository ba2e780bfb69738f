// An API address as people read it in messages: "127.0.0.1:8787", "caseload.example.com".

/** The host (and port) of a base URL; the text itself when it is not a URL. */
export function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}
