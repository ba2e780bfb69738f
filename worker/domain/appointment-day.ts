// The popup's Today view: one day's sessions in the provider's zone and the next one after it,
// read in one batch with its audit row.
import type * as v from 'valibot';
import type { AppointmentDayQuerySchema } from '../../shared/schemas/appointment';
import { dayBounds, localDate } from '../../shared/time/zones';
import * as appointments from '../db/appointments';
import type { AppointmentOut } from '../db/appointments';
import { audit, providerActor } from '../db/audit';
import type { Data } from '../db/data';
import { now } from '../platform/clock';
import type { Provider } from './context';
import { view } from './appointments';

export interface AppointmentDay {
  date: string;
  timeZone: string;
  items: AppointmentOut[];
  next: AppointmentOut | null;
}

/**
 * `date` (default: today in the provider's zone) from its first moment to the next day's — 23 or 25
 * hours on a daylight-saving change — every status, by start; `next` is the first scheduled session
 * starting after that day (what an empty day, or the end of one, points to).
 */
export async function appointmentDay(
  data: Data,
  provider: Provider,
  q: v.InferOutput<typeof AppointmentDayQuerySchema>,
): Promise<AppointmentDay> {
  const date = q.date ?? localDate(now(), provider.timeZone);
  const { start, end } = dayBounds(date, provider.timeZone);
  const [items, next] = await data.read(
    [
      appointments.day(provider.id, start.toISOString(), end.toISOString()),
      appointments.nextScheduled(provider.id, end.toISOString()),
    ],
    [audit({ ...providerActor(provider.id), action: 'appointment.list', entityType: 'appointment', entityId: null })],
  );
  return {
    date,
    timeZone: provider.timeZone,
    items: items.map((r) => view(provider, r)),
    next: next ? view(provider, next) : null,
  };
}
