// The emails that carry a client's fresh self-service link (welcome, billing-info request),
// as statements for the caller's batch: the link and its email are saved together or not at all.
import { missingBillingFields } from '../../shared/schemas/billing';
import { formatInZone } from '../../shared/time/zones';
import type { Statement } from '../db/batch';
import { type ClientRow, rowToFields } from '../db/clients';
import type { Bindings } from '../platform/config';
import { issueClientLink } from '../db/client-links';
import { enqueueEmail } from './outbox';
import { billingRequestEmail } from './templates/billing-request';
import { welcomeEmail } from './templates/welcome';

export type LinkEmailReason = 'welcome' | 'billing_info';

export interface LinkEmail {
  /** The fresh link (e.g. a billing_incomplete error's `settingsUrl`). */
  url: string;
  expiresAt: string;
  /** The link's statements and the outbox insert; run them in one batch, then deliverSoon. */
  statements: Statement[];
}

export async function clientLinkEmail(
  env: Pick<Bindings, 'PUBLIC_URL' | 'EMAIL_FROM'>,
  provider: { id: string; name: string },
  client: ClientRow,
  reason: LinkEmailReason,
): Promise<LinkEmail> {
  const link = await issueClientLink(env, client, provider.id);
  const common = {
    clientFirstName: client.first_name,
    providerName: provider.name,
    link: link.url,
    expiresOn: formatInZone(link.expiresAt, client.time_zone),
  };
  const rendered =
    reason === 'billing_info'
      ? billingRequestEmail({ ...common, missing: missingBillingFields(rowToFields(client)) })
      : welcomeEmail(common);
  return {
    url: link.url,
    expiresAt: link.expiresAt,
    statements: [
      ...link.statements,
      enqueueEmail(env, {
        kind: reason === 'billing_info' ? 'billing_request' : 'welcome',
        to: client.email,
        providerId: provider.id,
        ...rendered,
      }),
    ],
  };
}
