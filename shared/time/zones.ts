// Time-zone rules (wall clock ↔ UTC, recurring series, display) on Intl alone, for the Worker, the extension and Node.

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

// Building a DateTimeFormat costs far more than using one, and a series formats dozens of instants.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, tz: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${tz}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: tz });
    formatters.set(key, f);
  }
  return f;
}

/** True when the runtime's Intl knows the zone: IANA names and their aliases, in any letter case, as Intl accepts them. */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// API.md: instants carry Z or an offset. A string without one would be read in the host's zone, which
// is UTC in a Worker and the user's zone in the browser, so it is refused rather than guessed.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function toDate(instant: Date | string): Date {
  const d =
    typeof instant === 'string'
      ? ISO_INSTANT.test(instant)
        ? new Date(instant)
        : new Date(NaN)
      : new Date(instant.getTime());
  if (Number.isNaN(d.getTime()))
    throw new RangeError(`Expected an ISO 8601 instant with Z or an offset, got ${String(instant)}.`);
  return d;
}

/** The wall-clock reading in `tz` at an instant. Throws a RangeError for an unknown zone or an invalid instant. */
export function zonedParts(instant: Date | string, tz: string): ZonedParts {
  const d = toDate(instant);
  const parts = formatter('en-US', tz, {
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const year = get('year');
  const month = get('month');
  const day = get('day');
  return {
    year,
    month,
    day,
    // Some engines have written midnight as hour 24 even with h23.
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
    // From the date itself rather than a localised weekday name.
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

// The zone's UTC offset at an instant, in ms (east positive), to the second.
function offsetAt(ms: number, tz: string): number {
  const p = zonedParts(new Date(ms), tz);
  const whole = Math.floor(ms / 1000) * 1000;
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

function assertWall(wall: WallTime): void {
  const { year, month, day, hour, minute } = wall;
  const ints = [year, month, day, hour, minute].every(Number.isInteger);
  // Date.UTC quietly rolls 31 April into 1 May; a wall time that does not exist on the calendar is a bug upstream.
  const probe = new Date(Date.UTC(year, month - 1, day));
  const ok =
    ints &&
    month >= 1 &&
    month <= 12 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    probe.getUTCFullYear() === year &&
    probe.getUTCMonth() === month - 1 &&
    probe.getUTCDate() === day;
  if (!ok) throw new RangeError(`Not a calendar date and time: ${JSON.stringify(wall)}.`);
}

function sameWall(ms: number, wall: WallTime, tz: string): boolean {
  const p = zonedParts(new Date(ms), tz);
  return (
    p.year === wall.year &&
    p.month === wall.month &&
    p.day === wall.day &&
    p.hour === wall.hour &&
    p.minute === wall.minute
  );
}

/**
 * The instant a wall-clock time in `tz` happens. Daylight-saving edges follow Temporal's "compatible"
 * rule, the one calendars use:
 * - a time skipped by a spring-forward change moves forward by the gap (02:30 on New York's March
 *   change day is 03:30 EDT), so a session is never silently dropped;
 * - a time that happens twice at a fall-back change takes the first occurrence (01:30 on New York's
 *   November change day is 01:30 EDT, not EST), so it is never later than the person expects.
 */
export function zonedWallTimeToUtc(wall: WallTime, tz: string): Date {
  assertWall(wall);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // No zone changes offset twice within two days, so the offsets a day either side are the only
  // candidates: equal away from a change, the old and new offsets around one.
  const withEarlierOffset = asUtc - offsetAt(asUtc - DAY, tz);
  const withLaterOffset = asUtc - offsetAt(asUtc + DAY, tz);
  const hits = [withEarlierOffset, withLaterOffset].filter((ms) => sameWall(ms, wall, tz));
  if (hits.length > 0) return new Date(Math.min(...hits));
  // In a gap: read with the offset in force before the change, it lands as far past the change as the
  // wall time was past it.
  return new Date(withEarlierOffset);
}

/**
 * Start instants of a repeating series, first included: API.md — every session keeps the first one's
 * wall-clock time in the provider's zone across daylight-saving changes (10:00 in New York stays 10:00
 * after the November change). A repeat that falls in a spring-forward gap moves forward by the gap, and
 * one at an ambiguous fall-back time takes the first occurrence (see zonedWallTimeToUtc).
 */
export function seriesStarts(firstStartUtc: string, tz: string, every: 'week' | '2weeks', count: number): string[] {
  if (every !== 'week' && every !== '2weeks') throw new RangeError(`Unknown repeat interval: ${String(every)}.`);
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`A series needs a whole number of sessions (at least 1), got ${count}.`);
  const first = toDate(firstStartUtc);
  const wall = zonedParts(first, tz);
  const subMinute = first.getTime() - Math.floor(first.getTime() / MINUTE) * MINUTE;
  const stepDays = every === 'week' ? 7 : 14;

  const starts = [toIsoUtc(first)];
  for (let i = 1; i < count; i++) {
    const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + i * stepDays));
    const start = zonedWallTimeToUtc(
      {
        year: date.getUTCFullYear(),
        month: date.getUTCMonth() + 1,
        day: date.getUTCDate(),
        hour: wall.hour,
        minute: wall.minute,
      },
      tz,
    );
    starts.push(toIsoUtc(new Date(start.getTime() + subMinute)));
  }
  return starts;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The calendar date (YYYY-MM-DD) in `tz` at an instant, e.g. a claim's date of service. */
export function localDate(instant: Date | string, tz: string): string {
  return localDateTime(instant, tz).date;
}

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM, 24-hour) in `tz`: the values of date and time inputs. */
export function localDateTime(instant: Date | string, tz: string): { date: string; time: string } {
  const p = zonedParts(instant, tz);
  return { date: `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/** The instant a date (YYYY-MM-DD) and time (HH:MM) typed in `tz` name, as localDateTime writes them; null when either is not a real value. */
export function parseLocalDateTime(date: string, time: string, tz: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  try {
    return zonedWallTimeToUtc({ year: +d[1]!, month: +d[2]!, day: +d[3]!, hour: +t[1]!, minute: +t[2]! }, tz);
  } catch {
    return null;
  }
}

// ICU names a zone only in locales where the name is in common use: en-US knows EST and PDT but says
// GMT+1 for Berlin, en-GB knows CET/CEST and BST, en-AU AEST/AEDT, en-IN IST, en-IE Irish IST, en-ZA
// SAST/CAT/WAT/EAT. The first real name wins; en-US goes first because the product's users are in the US.
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'en-NZ', 'en-CA', 'en-IE', 'en-ZA', 'en-SG'];
const OFFSET_NAME = /^(?:GMT|UTC)[+\-\u2212]\d/;

/** The zone's short name at an instant ("EST", "PDT", "CET", "AEDT", "IST"); "GMT+5:30"-style when Intl has no name. */
export function zoneAbbreviation(instant: Date | string, tz: string): string {
  const d = toDate(instant);
  let fallback = '';
  for (const locale of ABBREVIATION_LOCALES) {
    const name =
      formatter(locale, tz, { timeZoneName: 'short' })
        .formatToParts(d)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (name !== '' && !OFFSET_NAME.test(name)) return name;
    if (fallback === '') fallback = name;
  }
  return fallback;
}

/** The zone's name and its abbreviation at an instant, for a label: "America/New_York (EST)". */
export function zoneLabel(tz: string, at: Date | string): string {
  return `${tz.replace(/_/g, ' ')} (${zoneAbbreviation(at, tz)})`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * An instant as people read it, in the zone:
 * - "Tuesday, December 1, 2026 at 10:00 AM EST" (emails, the client's pages); `withWeekday: false` drops
 *   "Tuesday, ";
 * - `short: true`: "Tue, Dec 1, 10:00 AM EST" (the popup, where the year is this one or next).
 * Assembled here rather than by Intl's dateStyle, whose punctuation and spaces (a narrow no-break space
 * before AM in recent ICU) differ between runtimes and would make emails differ.
 */
export function formatInZone(
  instant: Date | string,
  tz: string,
  opts: { withWeekday?: boolean; short?: boolean } = {},
): string {
  const p = zonedParts(instant, tz);
  const word = (names: string[], i: number) => (opts.short ? (names[i] ?? '').slice(0, 3) : (names[i] ?? ''));
  const weekday = opts.withWeekday === false ? '' : `${word(WEEKDAYS, p.weekday)}, `;
  const date = `${word(MONTHS, p.month - 1)} ${p.day}`;
  const time = `${p.hour % 12 || 12}:${pad(p.minute)} ${p.hour < 12 ? 'AM' : 'PM'} ${zoneAbbreviation(instant, tz)}`;
  return opts.short ? `${weekday}${date}, ${time}` : `${weekday}${date}, ${p.year} at ${time}`;
}

/** The API's instant format: '2026-12-01T15:00:00.000Z'. Throws a RangeError for an invalid Date. */
export function toIsoUtc(d: Date): string {
  return d.toISOString();
}

/** The calendar date `days` after a YYYY-MM-DD date (negative: before); plain calendar arithmetic, no zone. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/**
 * A calendar day in `tz` as the half-open interval of instants [start, end): from the day's first
 * moment to the next day's. Such a day lasts 23 or 25 hours on a daylight-saving change, and where a
 * change skips midnight itself (Santiago, Havana) the day begins at the first wall time that exists.
 */
export function dayBounds(date: string, tz: string): { start: Date; end: Date } {
  const midnight = (d: string) => {
    const [year, month, day] = d.split('-').map(Number) as [number, number, number];
    return zonedWallTimeToUtc({ year, month, day, hour: 0, minute: 0 }, tz);
  };
  return { start: midnight(date), end: midnight(addDays(date, 1)) };
}
