// The settings a running Worker depends on, checked: what /v1/health reports as `misconfigured`
// (naming the setting, never its value) and what keeps the operations routes closed.
import type { Secrets } from './config';
import { notesKeyProblem } from './notes-crypto';

/** An operations token shorter than this is too easy to guess. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * Each problem, as a sentence naming the setting. An unset ADMIN_TOKEN is a valid set-up (no
 * operations routes); one that is set must be at least 32 characters.
 */
export function settingsProblems(config: Pick<Secrets, 'ADMIN_TOKEN' | 'NOTES_KEY'>): string[] {
  const problems: string[] = [];
  const admin = config.ADMIN_TOKEN;
  if (admin !== undefined && admin !== '' && admin.length < MIN_ADMIN_TOKEN_LENGTH) {
    problems.push(`ADMIN_TOKEN is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters`);
  }
  const notes = notesKeyProblem(config.NOTES_KEY);
  if (notes) problems.push(notes);
  return problems;
}

/** The operations token, when the operations routes are open: set, and nothing misconfigured. */
export function usableAdminToken(config: Pick<Secrets, 'ADMIN_TOKEN' | 'NOTES_KEY'>): string | null {
  if (!config.ADMIN_TOKEN) return null;
  return settingsProblems(config).length === 0 ? config.ADMIN_TOKEN : null;
}
