// Short date/time wording for the popup, always in the provider's time zone.
import { zoneAbbreviation, zonedParts, zonedWallTimeToUtc } from '../../shared/time/zones';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "3:00 PM" */
export function clockTime(iso: string, tz: string): string {
  const p = zonedParts(iso, tz);
  return `${p.hour % 12 === 0 ? 12 : p.hour % 12}:${pad(p.minute)} ${p.hour < 12 ? 'AM' : 'PM'}`;
}

/** "Tue, Mar 10" */
export function shortDate(iso: string, tz: string): string {
  const p = zonedParts(iso, tz);
  return `${DAYS[p.weekday]}, ${MONTHS[p.month - 1]} ${p.day}`;
}

/** "Tue, Mar 10, 3:00 PM EST" */
export function shortDateTime(iso: string, tz: string): string {
  return `${shortDate(iso, tz)}, ${clockTime(iso, tz)} ${zoneAbbreviation(iso, tz)}`;
}

/** Values for <input type=date> and <input type=time> in the zone. */
export function toInputs(iso: string, tz: string): { date: string; time: string } {
  const p = zonedParts(iso, tz);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** The instant of a date and time typed in the zone, or null when either is not a real value. */
export function fromInputs(date: string, time: string, tz: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  try {
    return zonedWallTimeToUtc({ year: +d[1]!, month: +d[2]!, day: +d[3]!, hour: +t[1]!, minute: +t[2]! }, tz);
  } catch {
    return null;
  }
}

/** The zone's name and abbreviation for a label: "America/New_York (EST)". */
export function zoneLabel(tz: string, at: Date): string {
  return `${tz.replace(/_/g, ' ')} (${zoneAbbreviation(at, tz)})`;
}

export const fullName = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`;
