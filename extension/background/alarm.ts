// The periodic alarm that keeps the badge fresh while the service worker sleeps.
import { browser, type Browser } from 'wxt/browser';

export const BADGE_ALARM = 'badge-refresh';
export const BADGE_PERIOD_MINUTES = 5;

/** Idempotent: re-creating an alarm would push its next run back, so only create when missing or changed. */
export async function ensureBadgeAlarm(): Promise<void> {
  const existing = await browser.alarms.get(BADGE_ALARM);
  if (existing?.periodInMinutes === BADGE_PERIOD_MINUTES) return;
  await browser.alarms.create(BADGE_ALARM, {
    periodInMinutes: BADGE_PERIOD_MINUTES,
    delayInMinutes: BADGE_PERIOD_MINUTES,
  });
}

export function isBadgeAlarm(alarm: Browser.alarms.Alarm): boolean {
  return alarm.name === BADGE_ALARM;
}
