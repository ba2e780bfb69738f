// Time-zone rules on the 2026 and 2027 daylight-saving change days: wall time ↔ UTC, gaps and
// overlaps, repeating series that keep their wall-clock time, dates and abbreviations.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayBounds,
  formatInZone,
  isValidTimeZone,
  localDate,
  localDateTime,
  parseLocalDateTime,
  seriesStarts,
  toIsoUtc,
  zoneAbbreviation,
  zoneLabel,
  zonedParts,
  zonedWallTimeToUtc,
} from '../../shared/time/zones';

const NY = 'America/New_York';
const LA = 'America/Los_Angeles';
const BERLIN = 'Europe/Berlin';
const SYDNEY = 'Australia/Sydney';
const KOLKATA = 'Asia/Kolkata';

function wall(s: string) {
  const [date = '', time = ''] = s.split(' ');
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute };
}

describe('isValidTimeZone', () => {
  it.each([NY, LA, BERLIN, SYDNEY, KOLKATA, 'Asia/Calcutta', 'UTC', 'Europe/London'])('accepts %s', (tz) => {
    expect(isValidTimeZone(tz)).toBe(true);
  });
  it.each(['', ' ', 'Foo/Bar', 'America/Newyork', '+05:00', 'EST-ish'])('refuses %j', (tz) => {
    expect(isValidTimeZone(tz)).toBe(false);
  });
});

describe('zonedWallTimeToUtc on the change days', () => {
  // Change days: US 2026-03-08 / 2026-11-01 and 2027-03-14 / 2027-11-07 (02:00 local);
  // EU 2026-03-29 / 2026-10-25 and 2027-03-28 / 2027-10-31 (01:00 UTC);
  // Sydney back 2026-04-05 / 2027-04-04 (03:00 AEDT → 02:00), forward 2026-10-04 / 2027-10-03 (02:00 AEST → 03:00).
  it.each([
    // New York: EST −5, EDT −4
    [NY, '2026-03-08 01:59', '2026-03-08T06:59:00.000Z'],
    [NY, '2026-03-08 02:30', '2026-03-08T07:30:00.000Z'], // gap: 03:30 EDT
    [NY, '2026-03-08 03:30', '2026-03-08T07:30:00.000Z'],
    [NY, '2026-11-01 00:30', '2026-11-01T04:30:00.000Z'],
    [NY, '2026-11-01 01:30', '2026-11-01T05:30:00.000Z'], // twice: the first, EDT
    [NY, '2026-11-01 02:30', '2026-11-01T07:30:00.000Z'],
    [NY, '2027-03-14 02:15', '2027-03-14T07:15:00.000Z'], // gap: 03:15 EDT
    [NY, '2027-11-07 01:15', '2027-11-07T05:15:00.000Z'], // twice: the first, EDT
    // Los Angeles: PST −8, PDT −7
    [LA, '2026-03-08 02:30', '2026-03-08T10:30:00.000Z'],
    [LA, '2026-11-01 01:30', '2026-11-01T08:30:00.000Z'],
    [LA, '2027-03-14 02:30', '2027-03-14T10:30:00.000Z'],
    [LA, '2027-11-07 01:30', '2027-11-07T08:30:00.000Z'],
    [LA, '2027-11-07 03:00', '2027-11-07T11:00:00.000Z'],
    // Berlin: CET +1, CEST +2
    [BERLIN, '2026-03-29 01:30', '2026-03-29T00:30:00.000Z'],
    [BERLIN, '2026-03-29 02:30', '2026-03-29T01:30:00.000Z'], // gap: 03:30 CEST
    [BERLIN, '2026-10-25 02:30', '2026-10-25T00:30:00.000Z'], // twice: the first, CEST
    [BERLIN, '2026-10-25 03:30', '2026-10-25T02:30:00.000Z'],
    [BERLIN, '2027-03-28 02:30', '2027-03-28T01:30:00.000Z'],
    [BERLIN, '2027-10-31 02:30', '2027-10-31T00:30:00.000Z'],
    // Sydney: AEST +10, AEDT +11
    [SYDNEY, '2026-04-05 02:30', '2026-04-04T15:30:00.000Z'], // twice: the first, AEDT
    [SYDNEY, '2026-04-05 03:30', '2026-04-04T17:30:00.000Z'],
    [SYDNEY, '2026-10-04 02:30', '2026-10-03T16:30:00.000Z'], // gap: 03:30 AEDT
    [SYDNEY, '2026-10-04 03:30', '2026-10-03T16:30:00.000Z'],
    [SYDNEY, '2027-04-04 02:30', '2027-04-03T15:30:00.000Z'],
    [SYDNEY, '2027-10-03 02:30', '2027-10-02T16:30:00.000Z'],
    // Kolkata: IST +5:30 all year
    [KOLKATA, '2026-03-08 02:30', '2026-03-07T21:00:00.000Z'],
    [KOLKATA, '2026-11-01 01:30', '2026-10-31T20:00:00.000Z'],
    [KOLKATA, '2027-07-01 10:00', '2027-07-01T04:30:00.000Z'],
  ])('%s %s → %s', (tz, local, utc) => {
    expect(toIsoUtc(zonedWallTimeToUtc(wall(local), tz))).toBe(utc);
  });

  it('moves a wall time in a spring-forward gap forward by the gap', () => {
    expect(zonedParts(zonedWallTimeToUtc(wall('2026-03-08 02:30'), NY), NY)).toMatchObject({ hour: 3, minute: 30 });
    expect(zonedParts(zonedWallTimeToUtc(wall('2026-10-04 02:00'), SYDNEY), SYDNEY)).toMatchObject({
      day: 4,
      hour: 3,
      minute: 0,
    });
  });

  it('takes the first of the two instants at a fall-back time, an hour before the second', () => {
    const first = zonedWallTimeToUtc(wall('2026-10-25 02:30'), BERLIN);
    expect(zoneAbbreviation(first, BERLIN)).toBe('CEST');
    const second = new Date(first.getTime() + 3_600_000);
    expect(zonedParts(second, BERLIN)).toMatchObject({ day: 25, hour: 2, minute: 30 });
    expect(zoneAbbreviation(second, BERLIN)).toBe('CET');
  });

  it.each([
    { year: 2026, month: 2, day: 29, hour: 10, minute: 0 },
    { year: 2026, month: 13, day: 1, hour: 10, minute: 0 },
    { year: 2026, month: 4, day: 31, hour: 10, minute: 0 },
    { year: 2026, month: 4, day: 1, hour: 24, minute: 0 },
    { year: 2026, month: 4, day: 1, hour: 10, minute: 60 },
    { year: 2026, month: 4, day: 1, hour: 10.5, minute: 0 },
  ])('refuses %j', (w) => {
    expect(() => zonedWallTimeToUtc(w, NY)).toThrow(RangeError);
  });
});

describe('zonedParts', () => {
  it.each([
    ['2026-12-01T15:00:00.000Z', NY, { year: 2026, month: 12, day: 1, hour: 10, minute: 0, second: 0, weekday: 2 }],
    ['2026-12-01T15:00:00.000Z', SYDNEY, { year: 2026, month: 12, day: 2, hour: 2, minute: 0, second: 0, weekday: 3 }],
    [
      '2026-12-01T15:00:00.000Z',
      KOLKATA,
      { year: 2026, month: 12, day: 1, hour: 20, minute: 30, second: 0, weekday: 2 },
    ],
    ['2026-11-01T04:00:00.000Z', NY, { year: 2026, month: 11, day: 1, hour: 0, minute: 0, second: 0, weekday: 0 }],
    ['2027-01-01T04:59:59.000Z', NY, { year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59, weekday: 4 }],
    ['2026-06-06T10:00:00+02:00', BERLIN, { year: 2026, month: 6, day: 6, hour: 10, minute: 0, second: 0, weekday: 6 }],
  ])('%s in %s', (instant, tz, expected) => {
    expect(zonedParts(instant, tz)).toEqual(expected);
  });

  it('takes a Date as well as a string', () => {
    expect(zonedParts(new Date('2026-12-01T15:00:00.000Z'), NY)).toEqual(zonedParts('2026-12-01T15:00:00.000Z', NY));
  });

  it('refuses an instant without an offset, an invalid instant, and an unknown zone', () => {
    expect(() => zonedParts('2026-12-01T10:00:00', NY)).toThrow(RangeError);
    expect(() => zonedParts('2026-12-01', NY)).toThrow(RangeError);
    expect(() => zonedParts('yesterday', NY)).toThrow(RangeError);
    expect(() => zonedParts(new Date(Number.NaN), NY)).toThrow(RangeError);
    expect(() => zonedParts('2026-12-01T10:00:00Z', 'Foo/Bar')).toThrow(RangeError);
  });
});

describe('seriesStarts', () => {
  it.each<[string, string, string, 'week' | '2weeks', number, string[]]>([
    [
      'New York weekly over the November change: 10:00 stays 10:00',
      NY,
      '2026-10-20T14:00:00.000Z',
      'week',
      4,
      ['2026-10-20T14:00:00.000Z', '2026-10-27T14:00:00.000Z', '2026-11-03T15:00:00.000Z', '2026-11-10T15:00:00.000Z'],
    ],
    [
      'New York every 2 weeks over the March 2027 change',
      NY,
      '2027-03-02T15:00:00.000Z',
      '2weeks',
      3,
      ['2027-03-02T15:00:00.000Z', '2027-03-16T14:00:00.000Z', '2027-03-30T14:00:00.000Z'],
    ],
    [
      'Los Angeles weekly over the November 2027 change',
      LA,
      '2027-10-26T16:00:00.000Z',
      'week',
      3,
      ['2027-10-26T16:00:00.000Z', '2027-11-02T16:00:00.000Z', '2027-11-09T17:00:00.000Z'],
    ],
    [
      'Los Angeles every 2 weeks over the March 2026 change',
      LA,
      '2026-03-02T17:30:00.000Z',
      '2weeks',
      2,
      ['2026-03-02T17:30:00.000Z', '2026-03-16T16:30:00.000Z'],
    ],
    [
      'Berlin weekly over the October 2026 change',
      BERLIN,
      '2026-10-20T14:00:00.000Z',
      'week',
      3,
      ['2026-10-20T14:00:00.000Z', '2026-10-27T15:00:00.000Z', '2026-11-03T15:00:00.000Z'],
    ],
    [
      'Berlin every 2 weeks over the March 2027 change',
      BERLIN,
      '2027-03-18T08:00:00.000Z',
      '2weeks',
      2,
      ['2027-03-18T08:00:00.000Z', '2027-04-01T07:00:00.000Z'],
    ],
    [
      'Sydney weekly over the October 2026 change',
      SYDNEY,
      '2026-09-29T00:00:00.000Z',
      'week',
      2,
      ['2026-09-29T00:00:00.000Z', '2026-10-05T23:00:00.000Z'],
    ],
    [
      'Sydney every 2 weeks over the April 2027 change',
      SYDNEY,
      '2027-03-30T07:00:00.000Z',
      '2weeks',
      2,
      ['2027-03-30T07:00:00.000Z', '2027-04-13T08:00:00.000Z'],
    ],
    [
      'Kolkata keeps a fixed step',
      KOLKATA,
      '2026-10-20T04:30:00.000Z',
      'week',
      3,
      ['2026-10-20T04:30:00.000Z', '2026-10-27T04:30:00.000Z', '2026-11-03T04:30:00.000Z'],
    ],
    [
      'a repeat in the spring-forward gap moves forward by the gap, and the next is back at 02:30',
      NY,
      '2026-03-01T07:30:00.000Z',
      'week',
      3,
      ['2026-03-01T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-15T06:30:00.000Z'],
    ],
    [
      'the first session is kept exactly, even as the second 01:30 of a fall-back night',
      NY,
      '2026-11-01T06:30:00.000Z',
      'week',
      2,
      ['2026-11-01T06:30:00.000Z', '2026-11-08T06:30:00.000Z'],
    ],
    [
      'seconds of the first start carry over',
      NY,
      '2026-10-27T14:00:30.500Z',
      'week',
      2,
      ['2026-10-27T14:00:30.500Z', '2026-11-03T15:00:30.500Z'],
    ],
    [
      'an offset in the first start is normalised to UTC',
      NY,
      '2026-10-27T10:00:00-04:00',
      'week',
      2,
      ['2026-10-27T14:00:00.000Z', '2026-11-03T15:00:00.000Z'],
    ],
    [
      'a count of 1 is the first session only',
      NY,
      '2026-10-27T14:00:00.000Z',
      '2weeks',
      1,
      ['2026-10-27T14:00:00.000Z'],
    ],
  ])('%s', (_name, tz, first, every, count, expected) => {
    expect(seriesStarts(first, tz, every, count)).toEqual(expected);
  });

  it('keeps 10:00 on every one of 52 weekly sessions in each zone', () => {
    for (const tz of [NY, LA, BERLIN, SYDNEY, KOLKATA]) {
      const first = zonedWallTimeToUtc(wall('2026-01-06 10:00'), tz);
      const starts = seriesStarts(toIsoUtc(first), tz, 'week', 52);
      expect(starts).toHaveLength(52);
      starts.forEach((s, i) => {
        expect(zonedParts(s, tz)).toMatchObject({ hour: 10, minute: 0, weekday: 2 });
        expect(localDate(s, tz)).toBe(toIsoUtc(new Date(Date.UTC(2026, 0, 6 + 7 * i))).slice(0, 10));
      });
    }
  });

  it('refuses a bad count or interval', () => {
    expect(() => seriesStarts('2026-10-27T14:00:00.000Z', NY, 'week', 0)).toThrow(RangeError);
    expect(() => seriesStarts('2026-10-27T14:00:00.000Z', NY, 'week', 2.5)).toThrow(RangeError);
    expect(() => seriesStarts('2026-10-27T14:00:00.000Z', NY, 'month' as 'week', 2)).toThrow(RangeError);
  });
});

describe('localDate', () => {
  it.each([
    ['2026-12-01T03:00:00.000Z', NY, '2026-11-30'],
    ['2026-12-01T03:00:00.000Z', LA, '2026-11-30'],
    ['2026-12-01T03:00:00.000Z', BERLIN, '2026-12-01'],
    ['2026-11-30T14:00:00.000Z', SYDNEY, '2026-12-01'],
    ['2026-11-30T18:29:00.000Z', KOLKATA, '2026-11-30'],
    ['2026-11-30T18:30:00.000Z', KOLKATA, '2026-12-01'],
  ])('%s in %s is %s', (instant, tz, date) => {
    expect(localDate(instant, tz)).toBe(date);
  });
});

describe('localDateTime', () => {
  it.each([
    ['2026-12-01T03:00:00.000Z', NY, '2026-11-30', '22:00'],
    ['2026-07-01T04:00:00.000Z', NY, '2026-07-01', '00:00'],
    ['2026-11-30T18:30:00.000Z', KOLKATA, '2026-12-01', '00:00'],
    ['2026-11-30T14:05:00.000Z', SYDNEY, '2026-12-01', '01:05'],
  ])('%s in %s is %s %s', (instant, tz, date, time) => {
    expect(localDateTime(instant, tz)).toEqual({ date, time });
  });
});

describe('parseLocalDateTime', () => {
  it.each([
    ['2026-03-10', '15:00', NY, '2026-03-10T19:00:00.000Z'],
    ['2026-12-01', '00:00', KOLKATA, '2026-11-30T18:30:00.000Z'],
    ['2026-03-08', '02:30', NY, '2026-03-08T07:30:00.000Z'], // in the spring-forward gap: 03:30 EDT
  ])('%s %s in %s is %s', (date, time, tz, iso) => {
    expect(parseLocalDateTime(date, time, tz)?.toISOString()).toBe(iso);
  });

  it('reads back what localDateTime writes', () => {
    const { date, time } = localDateTime('2026-11-01T05:30:00.000Z', NY);
    expect(parseLocalDateTime(date, time, NY)?.toISOString()).toBe('2026-11-01T05:30:00.000Z');
  });

  it.each([
    ['', '15:00'],
    ['2026-03-10', ''],
    ['2026-02-30', '10:00'],
    ['2026-03-10', '24:00'],
    ['10/03/2026', '15:00'],
  ])('is null for %j %j', (date, time) => {
    expect(parseLocalDateTime(date, time, NY)).toBeNull();
  });
});

describe('zoneLabel', () => {
  it('names the zone with its abbreviation at that instant', () => {
    expect(zoneLabel(NY, '2026-01-15T12:00:00Z')).toBe('America/New York (EST)');
    expect(zoneLabel(NY, new Date('2026-07-15T12:00:00Z'))).toBe('America/New York (EDT)');
  });
});

describe('zoneAbbreviation', () => {
  it.each([
    ['2026-01-15T12:00:00Z', NY, 'EST'],
    ['2026-07-15T12:00:00Z', NY, 'EDT'],
    ['2026-03-08T06:59:59Z', NY, 'EST'],
    ['2026-03-08T07:00:00Z', NY, 'EDT'],
    ['2026-11-01T05:59:59Z', NY, 'EDT'],
    ['2026-11-01T06:00:00Z', NY, 'EST'],
    ['2026-01-15T12:00:00Z', LA, 'PST'],
    ['2027-07-15T12:00:00Z', LA, 'PDT'],
    ['2026-01-15T12:00:00Z', BERLIN, 'CET'],
    ['2026-07-15T12:00:00Z', BERLIN, 'CEST'],
    ['2026-10-25T00:59:59Z', BERLIN, 'CEST'],
    ['2026-10-25T01:00:00Z', BERLIN, 'CET'],
    ['2026-01-15T12:00:00Z', SYDNEY, 'AEDT'],
    ['2026-07-15T12:00:00Z', SYDNEY, 'AEST'],
    ['2026-10-03T15:59:59Z', SYDNEY, 'AEST'],
    ['2026-10-03T16:00:00Z', SYDNEY, 'AEDT'],
    ['2026-01-15T12:00:00Z', KOLKATA, 'IST'],
    ['2026-07-15T12:00:00Z', KOLKATA, 'IST'],
    ['2026-01-15T12:00:00Z', 'Europe/London', 'GMT'],
    ['2026-07-15T12:00:00Z', 'Europe/London', 'BST'],
    ['2026-07-15T12:00:00Z', 'UTC', 'UTC'],
    ['2026-07-15T12:00:00Z', 'Asia/Shanghai', 'GMT+8'], // no English locale names it: the offset form
  ])('%s in %s is %s', (instant, tz, abbr) => {
    expect(zoneAbbreviation(instant, tz)).toBe(abbr);
  });
});

describe('formatInZone', () => {
  it.each([
    ['2026-12-01T15:00:00.000Z', NY, 'Tuesday, December 1, 2026 at 10:00 AM EST'],
    ['2026-07-01T04:00:00.000Z', NY, 'Wednesday, July 1, 2026 at 12:00 AM EDT'],
    ['2026-07-01T16:05:00.000Z', NY, 'Wednesday, July 1, 2026 at 12:05 PM EDT'],
    ['2026-12-01T15:00:00.000Z', LA, 'Tuesday, December 1, 2026 at 7:00 AM PST'],
    ['2026-12-01T15:00:00.000Z', BERLIN, 'Tuesday, December 1, 2026 at 4:00 PM CET'],
    ['2026-12-01T15:00:00.000Z', SYDNEY, 'Wednesday, December 2, 2026 at 2:00 AM AEDT'],
    ['2026-12-01T15:00:00.000Z', KOLKATA, 'Tuesday, December 1, 2026 at 8:30 PM IST'],
  ])('%s in %s', (instant, tz, text) => {
    expect(formatInZone(instant, tz)).toBe(text);
  });

  it('leaves out the weekday on request', () => {
    expect(formatInZone('2026-12-01T15:00:00.000Z', NY, { withWeekday: false })).toBe(
      'December 1, 2026 at 10:00 AM EST',
    );
    expect(formatInZone('2026-12-01T15:00:00.000Z', NY, { withWeekday: true })).toBe(
      'Tuesday, December 1, 2026 at 10:00 AM EST',
    );
  });

  it('uses plain spaces only', () => {
    expect(formatInZone('2026-12-01T15:00:00.000Z', NY)).not.toMatch(/[^\x20-\x7e]/);
  });

  it.each([
    ['2026-03-10T19:00:00.000Z', NY, 'Tue, Mar 10, 3:00 PM EDT'],
    ['2026-03-03T20:00:00.000Z', NY, 'Tue, Mar 3, 3:00 PM EST'],
    ['2026-09-01T04:00:00.000Z', NY, 'Tue, Sep 1, 12:00 AM EDT'],
    ['2026-12-01T15:00:00.000Z', SYDNEY, 'Wed, Dec 2, 2:00 AM AEDT'],
  ])('short: %s in %s', (instant, tz, text) => {
    expect(formatInZone(instant, tz, { short: true })).toBe(text);
  });
});

describe('toIsoUtc', () => {
  it('writes the API instant format', () => {
    expect(toIsoUtc(new Date('2026-12-01T10:00:00-05:00'))).toBe('2026-12-01T15:00:00.000Z');
    expect(toIsoUtc(new Date(Date.UTC(2027, 2, 14, 7, 0, 0, 5)))).toBe('2027-03-14T07:00:00.005Z');
  });
  it('refuses an invalid Date', () => {
    expect(() => toIsoUtc(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('dayBounds and addDays', () => {
  it('a plain day lasts 24 hours from local midnight', () => {
    const { start, end } = dayBounds('2026-12-02', 'America/New_York');
    expect([start.toISOString(), end.toISOString()]).toEqual(['2026-12-02T05:00:00.000Z', '2026-12-03T05:00:00.000Z']);
  });
  it('a spring-forward day lasts 23 hours and a fall-back day 25', () => {
    const spring = dayBounds('2026-03-08', 'America/New_York');
    expect(spring.start.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3600_000);
    const fall = dayBounds('2026-11-01', 'America/New_York');
    expect(fall.start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(fall.end.getTime() - fall.start.getTime()).toBe(25 * 3600_000);
  });
  it('where the change skips midnight, the day starts at the first wall time that exists', () => {
    // Chile springs forward at 00:00 on the first Sunday of September: 2026-09-06 begins at 01:00 (UTC−3).
    const { start, end } = dayBounds('2026-09-06', 'America/Santiago');
    expect(start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(end.toISOString()).toBe('2026-09-07T03:00:00.000Z');
  });
  it('addDays crosses months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-02', 0)).toBe('2026-12-02');
  });
});
