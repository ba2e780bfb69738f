// The account activity in plain words for the options page (API.md "Sign-in", GET /v1/me/activity).
import type { ActivityItem } from '../../shared/api-types';

const WORDS: Record<string, string> = {
  'signin.succeeded': 'Signed in',
  'signin.failed': 'Wrong sign-in code entered',
  'signin.locked': 'Signing in paused after too many wrong codes',
  logout: 'Signed out',
  logout_all: 'Signed out everywhere',
  'client_link.opened': 'A client opened their account link',
  'client_billing.saved': 'Client billing details saved',
  'client_billing.read': 'Client billing details viewed',
  'note.read': 'Progress note viewed',
  'claims.exported': 'Claims exported',
  'admin.carrier_changed': 'Caseload staff changed an insurance carrier’s status',
  'admin.provider_created': 'Caseload staff created this account',
  'admin.email_retried': 'Caseload staff re-sent an email',
};

const BY: Record<ActivityItem['actor'], string> = {
  provider: '',
  client: ' (by the client)',
  admin: '',
  system: '',
};

/** What happened, in words; an action this version does not know is shown as the API names it. */
export function describeActivity(item: Pick<ActivityItem, 'action' | 'actor'>): string {
  const words = WORDS[item.action] ?? item.action;
  return item.action === 'client_link.opened' ? words : `${words}${BY[item.actor] ?? ''}`;
}

/** Where from: the network the API recorded (never a full address), or that it was not known. */
export const networkWords = (network: string | null) => (network ? `from ${network}` : 'from an unknown network');

export const activityTime = (at: string) =>
  new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
