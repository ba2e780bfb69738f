// The one source of "now" for the Worker, so tests can move time instead of sleeping.
let offsetMs = 0;
let fixed: number | null = null;

export function now(): Date {
  return new Date(fixed ?? Date.now() + offsetMs);
}

export function nowIso(): string {
  return now().toISOString();
}

/** Tests only: advance the clock by `ms`, or pin it with `setNow`. */
export const testClock = {
  advance(ms: number): void {
    if (fixed !== null) fixed += ms;
    else offsetMs += ms;
  },
  set(at: Date | string): void {
    fixed = new Date(at).getTime();
  },
  reset(): void {
    offsetMs = 0;
    fixed = null;
  },
};
