// chrono-node on real phrasings, read in the provider's zone with a fixed "now".
import { describe, expect, it } from 'vitest';
import { parseSelection } from '../../extension/background/parse-selection';

// Thursday 5 March 2026, 12:00 in New York (EST). US daylight saving starts Sunday 8 March.
const NOW = new Date('2026-03-05T17:00:00.000Z');
const NY = 'America/New_York';

describe('parseSelection', () => {
  it.each([
    ['Can we do Tuesday at 3pm?', '2026-03-10T19:00:00.000Z', false], // 15:00 EDT, after the change
    ['tomorrow at 10', '2026-03-06T15:00:00.000Z', false], // 10:00 EST
    ['Thu 4:30pm works for me', '2026-03-05T21:30:00.000Z', false], // later today
    ['How about 12/3 at 9?', '2026-12-03T14:00:00.000Z', false], // US month/day, 9 a.m. EST
    ['next Monday morning?', '2026-03-09T13:00:00.000Z', false], // morning → 9:00 EDT
    ['see you at 3', '2026-03-05T20:00:00.000Z', false], // a bare "3" is the afternoon
    ['Friday works', '2026-03-06T14:00:00.000Z', true], // a day without a time
  ])('%s → %s', (text, iso, dateOnly) => {
    const parsed = parseSelection(text, NOW, NY);
    expect(parsed?.startsAt.toISOString()).toBe(iso);
    expect(parsed?.dateOnly).toBe(dateOnly);
  });

  it('reads the wall clock in the provider’s zone, not the machine’s', () => {
    expect(parseSelection('Can we do Tuesday at 3pm?', NOW, 'America/Los_Angeles')?.startsAt.toISOString()).toBe(
      '2026-03-10T22:00:00.000Z',
    );
    expect(parseSelection('Can we do Tuesday at 3pm?', NOW, 'Europe/Berlin')?.startsAt.toISOString()).toBe(
      '2026-03-10T14:00:00.000Z',
    );
  });

  it.each(['Thanks, sounds good!', 'jane@example.com', ''])('no date in %j → null', (text) => {
    expect(parseSelection(text, NOW, NY)).toBeNull();
  });
});
