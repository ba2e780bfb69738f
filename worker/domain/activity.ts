// The provider's own account activity (GET /v1/me/activity): sign-ins, sign-outs, client links and
// billing data, note reads, exports and what the platform's staff changed — read from the audit log.
//
// The audit log is append-only (triggers refuse UPDATE and DELETE), so its older action names are
// never rewritten: they are mapped to API.md's names here, at read time, and the list keeps only
// the actions that describe the account (not every list or read of the calendar).
import type { ActivityAction, ActivityItem, Page } from '../../shared/api-types';
import * as audit from '../db/audit';
import type { Data } from '../db/data';
import { pageOf } from '../db/paging';
import { sha256Hex } from '../platform/crypto';

/** Stored action → the API's name. */
const ACTIONS: Record<string, ActivityAction> = {
  'signin.succeeded': 'signin.succeeded',
  'signin.failed': 'signin.failed',
  'signin.locked': 'signin.locked',
  logout: 'logout',
  logout_all: 'logout_all',
  'client_link.opened': 'client_link.opened',
  'client_billing.saved': 'client_billing.saved',
  'billing.update': 'client_billing.saved',
  'client_billing.read': 'client_billing.read',
  'billing.read': 'client_billing.read',
  'note.read': 'note.read',
  'claims.exported': 'claims.exported',
  'admin.carrier_changed': 'admin.carrier_changed',
  'carrier.pending': 'admin.carrier_changed',
  'carrier.approved': 'admin.carrier_changed',
  'carrier.terminated': 'admin.carrier_changed',
  'admin.provider_created': 'admin.provider_created',
  'provider.create': 'admin.provider_created',
  'admin.email_retried': 'admin.email_retried',
  'email.retry': 'admin.email_retried',
};

export const ACTIVITY_ACTIONS = Object.keys(ACTIONS);

/**
 * The id an entry is shown with: opaque (API.md: never a sequential integer), the same on every
 * read. Derived from the row's number, which only orders the rows.
 */
const publicId = async (n: number) => `act_${(await sha256Hex(`audit_log:${n}`)).slice(0, 20)}`;

export async function listActivity(
  data: Data,
  providerId: string,
  q: { cursor?: string; limit: number },
): Promise<Page<ActivityItem>> {
  const rows = await data.one(audit.activity(providerId, ACTIVITY_ACTIONS, q));
  const ids = new Map(await Promise.all(rows.map(async (r) => [r.id, await publicId(r.id)] as const)));
  return pageOf(rows, q.limit, audit.activityKey, (r) => ({
    id: ids.get(r.id)!,
    at: r.at,
    action: ACTIONS[r.action]!,
    actor: r.actor_type,
    targetType: r.entity_type,
    targetId: r.entity_id,
    network: r.network,
  }));
}
