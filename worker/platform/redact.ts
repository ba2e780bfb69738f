// Text for operators and logs, stripped of anything that could be a secret or PHI: an error
// message may quote a URL with a client link's token, an email address, a sign-in code, or a value.

/**
 * Removes URLs (a client link's token is in its path), `/c/…` paths, email addresses, runs of 6 or
 * more digits (a sign-in code) and long token-like runs of letters, digits, `-` and `_`.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]*/gi, '<url>')
    .replace(/\/c\/[^\s"'<>]*/g, '/c/<token>')
    .replace(/[^\s"'<>@]+@[^\s"'<>@]+/g, '<email>')
    .replace(/\d{6,}/g, '<digits>')
    .replace(/[A-Za-z0-9_-]{24,}/g, '<token>');
}

/** For the Worker's own logs: bounded, scrubbed, and any quoted value or number dropped (SQL literals, parsed input). */
export function redactForLog(message: string): string {
  return scrubSecrets(message.slice(0, 1000))
    .replace(/'[^']*'|"[^"]*"/g, '?')
    .replace(/\d{3,}/g, '#')
    .slice(0, 300);
}
