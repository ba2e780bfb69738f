// The popup's wording on top of shared/time (which formats every date and time): names, the zone's
// label, and the instant a date and time input pair names.
import { zoneAbbreviation, zonedWallTimeToUtc } from '../../shared/time/zones';

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
