// Finds the client a selection is about: an email address first, else a roster name in the text.
import type { Client } from '../../shared/api-types';

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;

export function emailsIn(text: string): string[] {
  return [...text.matchAll(EMAIL)].map((m) => m[0].toLowerCase());
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter(Boolean);
}

function normalise(s: string): string {
  return words(s).join(' ');
}

/**
 * The one roster client the text names, or null when none or several fit. An email address on the
 * roster wins; then a full name ("Jane Doe"); then a first or last name that only one client has.
 */
export function matchClient(text: string, roster: readonly Client[]): Client | null {
  for (const email of emailsIn(text)) {
    const hit = roster.find((c) => c.email.toLowerCase() === email);
    if (hit) return hit;
  }
  const haystack = ` ${normalise(text)} `;
  const full = roster.filter((c) => haystack.includes(` ${normalise(`${c.firstName} ${c.lastName}`)} `));
  if (full.length === 1) return full[0] ?? null;
  if (full.length > 1) return null;

  const textWords = new Set(words(text));
  const byOneName = roster.filter((c) => {
    const first = normalise(c.firstName);
    const last = normalise(c.lastName);
    return (first.length > 1 && textWords.has(first)) || (last.length > 1 && textWords.has(last));
  });
  return byOneName.length === 1 ? (byOneName[0] ?? null) : null;
}
