// Reads a date and time out of selected text with chrono-node. Background only: chrono is far
// too big for the popup bundle.
import * as chrono from 'chrono-node';
import { zonedParts, zonedWallTimeToUtc } from '../../shared/time/zones';

export interface ParsedWhen {
  /** UTC instant of the wall-clock time found, read in the provider's zone. */
  startsAt: Date;
  /** True when the text named a day but no time of day. */
  dateOnly: boolean;
  /** The words chrono read ("Tuesday at 3pm"). */
  text: string;
}

// "morning"/"afternoon"/"evening" give chrono's implied hours (6, 15, 20); a practice books
// sessions at more likely times.
const PART_OF_DAY: [RegExp, number][] = [
  [/\bmorning\b/i, 9],
  [/\b(afternoon|after lunch)\b/i, 14],
  [/\b(evening|tonight|after work)\b/i, 18],
];

/**
 * The first date in `text`, in the future relative to `now`, as wall-clock time in `timeZone`.
 * null when the text holds no date.
 */
export function parseSelection(text: string, now: Date, timeZone: string): ParsedWhen | null {
  const wall = zonedParts(now, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const offsetMinutes = Math.round((wallAsUtc - Math.floor(now.getTime() / 60_000) * 60_000) / 60_000);

  const results = chrono.parse(text, { instant: now, timezone: offsetMinutes }, { forwardDate: true });
  const result = results.find(
    (r) => r.start.isCertain('day') || r.start.isCertain('weekday') || r.start.isCertain('hour'),
  );
  if (!result) return null;
  const start = result.start;

  let hour = start.get('hour') ?? 9;
  let minute = start.get('minute') ?? 0;
  let dateOnly = false;
  if (!start.isCertain('hour')) {
    const part = PART_OF_DAY.find(([re]) => re.test(result.text));
    if (part) {
      hour = part[1];
      minute = 0;
    } else {
      dateOnly = true;
      hour = 9;
      minute = 0;
    }
  }
  const bareTime = !start.isCertain('day') && !start.isCertain('weekday');
  let year = start.get('year');
  let month = start.get('month');
  let day = start.get('day');
  if (start.isCertain('hour') && !start.isCertain('meridiem') && hour >= 1 && hour <= 7) {
    // "at 3" in a scheduling email means the afternoon, not 3 a.m.; chrono may have moved a bare
    // time to tomorrow because 3 a.m. had passed, so the day is worked out again below.
    hour += 12;
    if (bareTime) ({ year, month, day } = wall);
  }
  if (year === null || month === null || day === null) return null;
  let startsAt = zonedWallTimeToUtc({ year, month, day, hour, minute }, timeZone);
  // A bare time that already passed today ("at 3" said at 4 p.m.) means tomorrow.
  if (bareTime && startsAt.getTime() <= now.getTime()) {
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    startsAt = zonedWallTimeToUtc(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour, minute },
      timeZone,
    );
  }
  return { startsAt, dateOnly, text: result.text };
}
