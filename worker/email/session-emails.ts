// The client's session emails (details with the invite, cancellation) as outbox inserts for the
// caller's batch: the change and its email are saved together or not at all.
import type { Statement } from '../db/batch';
import { enqueueEmail } from './outbox';
import { sessionCanceledEmail, sessionDetailsEmail, type SessionEmailInput } from './templates/session';
import type { Bindings } from '../platform/config';

/** Who the email is from: the provider's name, email and video room. */
export interface SessionEmailProvider {
  id: string;
  name: string;
  email: string;
  telehealthUrl: string | null;
}

export interface SessionEmailClient {
  first_name: string;
  email: string;
  time_zone: string;
}

export interface SessionEmailAppointment {
  id: string;
  starts_at: string;
  ends_at: string;
  location_type: 'office' | 'telehealth';
  /** The invite's SEQUENCE after the change being announced. */
  ics_sequence: number;
}

function input(
  provider: SessionEmailProvider,
  client: SessionEmailClient,
  a: SessionEmailAppointment,
): SessionEmailInput {
  return {
    appointmentId: a.id,
    sequence: a.ics_sequence,
    clientFirstName: client.first_name,
    clientEmail: client.email,
    clientTimeZone: client.time_zone,
    providerName: provider.name,
    providerEmail: provider.email,
    startsAt: a.starts_at,
    endsAt: a.ends_at,
    location:
      a.location_type === 'telehealth' ? { type: 'telehealth', url: provider.telehealthUrl ?? '' } : { type: 'office' },
  };
}

const RENDER = {
  session_details: sessionDetailsEmail,
  session_canceled: sessionCanceledEmail,
} as const;

/** The session email of `kind` (details with a REQUEST invite, or a CANCEL), as an outbox insert. */
export function sessionEmail(
  kind: keyof typeof RENDER,
  env: Pick<Bindings, 'EMAIL_FROM'>,
  provider: SessionEmailProvider,
  client: SessionEmailClient,
  a: SessionEmailAppointment,
): Statement {
  return enqueueEmail(env, {
    kind,
    to: client.email,
    providerId: provider.id,
    ...RENDER[kind](input(provider, client, a)),
  });
}

export const detailsEmail = sessionEmail.bind(null, 'session_details');
export const canceledEmail = sessionEmail.bind(null, 'session_canceled');
