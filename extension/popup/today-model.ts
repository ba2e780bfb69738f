// The Today view: one day's sessions in the provider's zone (one API call per day shown), the next
// one highlighted, day navigation, and moving or canceling a future session.
import { computed, signal } from '@preact/signals';
import type { Appointment, AppointmentDay } from '../../shared/api-types';
import {
  addDays,
  formatInZone,
  localDate,
  localDateTime,
  parseLocalDateTime,
  zonedParts,
} from '../../shared/time/zones';
import type { ApiFailure, CancelReason } from '../api';
import { toFieldErrors, type FieldErrors } from './errors';
import { fullName } from './format';
import type { ModelContext } from './model-context';

export interface MoveFields {
  date: string;
  time: string;
  length: string;
}
export type Editing = { kind: 'move'; id: string } | { kind: 'cancel'; id: string };

const STATE_WORDS: Record<Appointment['status'], string> = {
  scheduled: '',
  confirmed: 'Confirmed',
  canceled: 'Canceled',
  late_canceled: 'Late cancel',
  no_show: 'No-show',
};

/** "2:05 PM" in the zone. */
export function timeOfDay(instant: string, tz: string): string {
  const p = zonedParts(instant, tz);
  return `${p.hour % 12 || 12}:${String(p.minute).padStart(2, '0')} ${p.hour < 12 ? 'AM' : 'PM'}`;
}

/** "Wednesday, December 2" for a YYYY-MM-DD date. */
export function dayLabel(date: string): string {
  return new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  });
}

export const placeOf = (a: Appointment) => (a.location.type === 'telehealth' ? 'Telehealth' : 'Office');

export function createTodayModel(ctx: ModelContext) {
  const day = signal<AppointmentDay | null>(null);
  const loading = signal(false);
  const failure = signal<ApiFailure | null>(null);
  const editing = signal<Editing | null>(null);
  const moveFields = signal<MoveFields>({ date: '', time: '', length: '' });
  const moveErrors = signal<FieldErrors>({});
  const actionFailure = signal<ApiFailure | null>(null);
  const cancelReason = signal<Extract<CancelReason, 'client' | 'provider'>>('client');
  const busy = signal(false);
  /** The element id focus should land on after an action (the view moves focus, then clears it). */
  const focusTarget = signal<string | null>(null);
  let asked = 0;
  /** The day asked for last (ahead of its answer), so that quick presses of ] keep counting from it. */
  let wanted: string | null = null;

  const tz = () => ctx.timeZone.value;
  const todayDate = () => localDate(ctx.now(), tz());
  const isToday = computed(() => day.value !== null && day.value.date === todayDate());

  /** On today: the session on now or next up (the first scheduled one not over yet); none on other days. */
  const highlighted = computed<Appointment | null>(() => {
    const d = day.value;
    if (!d || !isToday.value) return null;
    const at = ctx.now().getTime();
    return d.items.find((a) => a.status === 'scheduled' && Date.parse(a.endsAt) > at) ?? null;
  });

  /** Today with every session over: tomorrow's (or the next day's) first session is shown after the list. */
  const dayIsOver = computed(() => {
    const d = day.value;
    return !!d && isToday.value && d.items.length > 0 && highlighted.value === null;
  });

  /** What a past or settled session's row says about it; empty for an upcoming one. */
  function stateOf(a: Appointment): string {
    const at = ctx.now().getTime();
    if (a.status !== 'scheduled') return STATE_WORDS[a.status];
    if (Date.parse(a.endsAt) <= at) return 'To confirm';
    if (Date.parse(a.startsAt) <= at) return 'Now';
    return '';
  }

  /** Only a scheduled session that has not started can be moved or canceled from here. */
  const canChange = (a: Appointment) => a.status === 'scheduled' && Date.parse(a.startsAt) > ctx.now().getTime();

  function describe(a: Appointment): string {
    return `${timeOfDay(a.startsAt, tz())} with ${fullName(a.client)} (${a.durationMinutes} min, ${placeOf(a).toLowerCase()})`;
  }

  /** The day (default: today in the provider's zone); a slower answer for a day left meanwhile is dropped. */
  async function load(date?: string, reply?: ReturnType<ModelContext['send']>, quiet = false): Promise<void> {
    const mine = ++asked;
    wanted = date ?? todayDate();
    loading.value = true;
    failure.value = null;
    const r = await (reply ?? ctx.send('appointments.day', date ? { date } : {}));
    if (mine !== asked) return;
    loading.value = false;
    if (!r.ok) {
      failure.value = r.error;
      ctx.onFailure(r.error);
      return;
    }
    const d = r.data as AppointmentDay;
    day.value = d;
    editing.value = null;
    if (!quiet && d.date === todayDate()) {
      const next = highlighted.peek();
      if (next) ctx.announce(`Next: ${describe(next)}.`);
    }
  }

  const shownDate = () => wanted ?? day.peek()?.date ?? todayDate();
  const go = (days: number) => load(addDays(shownDate(), days));
  const goToday = () => load();

  function find(id: string): Appointment | undefined {
    return day.peek()?.items.find((a) => a.id === id);
  }

  function startMove(a: Appointment): void {
    const { date, time } = localDateTime(a.startsAt, tz());
    moveFields.value = { date, time, length: String(a.durationMinutes) };
    moveErrors.value = {};
    actionFailure.value = null;
    editing.value = { kind: 'move', id: a.id };
    focusTarget.value = 'move-date';
  }

  function startCancel(a: Appointment): void {
    cancelReason.value = 'client';
    actionFailure.value = null;
    editing.value = { kind: 'cancel', id: a.id };
    focusTarget.value = 'cancel-reason-client';
  }

  /** Closes the move or cancel step without sending anything; focus returns to the button that opened it. */
  function closeEdit(): void {
    const e = editing.peek();
    if (!e) return;
    editing.value = null;
    focusTarget.value = `${e.kind}-${e.id}`;
  }

  function updateMove<K extends keyof MoveFields>(key: K, value: string): void {
    moveFields.value = { ...moveFields.value, [key]: value };
    if (moveErrors.value[key]) moveErrors.value = { ...moveErrors.value, [key]: '' };
  }

  async function submitMove(): Promise<boolean> {
    const e = editing.peek();
    const a = e && find(e.id);
    if (e?.kind !== 'move' || !a || busy.peek()) return false;
    const f = moveFields.peek();
    const errors: FieldErrors = {};
    const start = parseLocalDateTime(f.date, f.time, tz());
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.date) || !start) errors.date = 'Enter a date and a time';
    if (!/^\d{1,3}$/.test(f.length)) errors.length = 'Length must be a whole number of minutes';
    if (Object.keys(errors).length > 0) {
      moveErrors.value = errors;
      return false;
    }
    busy.value = true;
    actionFailure.value = null;
    const r = await ctx.send('appointments.move', {
      id: a.id,
      input: { startsAt: start!.toISOString(), durationMinutes: Number(f.length) },
    });
    busy.value = false;
    if (!r.ok) {
      if (r.error.kind === 'api' && r.error.code === 'validation_failed' && r.error.issues?.length) {
        moveErrors.value = toFieldErrors(r.error.issues, { startsAt: 'date', durationMinutes: 'length' });
      }
      actionFailure.value = r.error;
      ctx.onFailure(r.error);
      return false;
    }
    const moved = r.data;
    ctx.announce(
      `Moved: ${fullName(moved.client)} is now ${formatInZone(moved.startsAt, tz(), { short: true })}, ${moved.durationMinutes} min.${moved.notifiedAt ? ' The client is emailed the new time.' : ''}`,
    );
    // The session may have left the day shown: the day is read again as the API has it now.
    await load(shownDate(), undefined, true);
    focusTarget.value = find(moved.id) ? `move-${moved.id}` : 'today-title';
    return true;
  }

  async function submitCancel(): Promise<boolean> {
    const e = editing.peek();
    const a = e && find(e.id);
    if (e?.kind !== 'cancel' || !a || busy.peek()) return false;
    busy.value = true;
    actionFailure.value = null;
    const r = await ctx.send('appointments.cancel', { id: a.id, reason: cancelReason.peek() });
    busy.value = false;
    if (!r.ok) {
      actionFailure.value = r.error;
      ctx.onFailure(r.error);
      return false;
    }
    const d = day.peek();
    if (d) day.value = { ...d, items: d.items.map((x) => (x.id === a.id ? r.data : x)) };
    editing.value = null;
    ctx.announce(
      `Canceled the session ${describe(a)}.${a.notifiedAt ? ' The client is emailed the cancellation.' : ''}`,
    );
    focusTarget.value = `session-${a.id}`;
    return true;
  }

  /** The conflict as the API reports it, naming the sessions in the way. */
  function conflictText(f: ApiFailure | null): string | null {
    if (f?.kind !== 'api' || f.code !== 'schedule_conflict') return null;
    const sessions = f.conflictSessions ?? [];
    if (sessions.length === 0) return null;
    const each = sessions.map(
      (s) =>
        `your session with ${fullName(s.client)} on ${formatInZone(s.startsAt, tz(), { short: true })} (${s.durationMinutes} min)`,
    );
    return `That time overlaps ${each.join(' and ')}.`;
  }

  return {
    day,
    loading,
    failure,
    isToday,
    highlighted,
    dayIsOver,
    editing,
    moveFields,
    moveErrors,
    actionFailure,
    cancelReason,
    busy,
    focusTarget,
    stateOf,
    canChange,
    describe,
    load,
    go,
    goToday,
    startMove,
    startCancel,
    closeEdit,
    updateMove,
    submitMove,
    submitCancel,
    conflictText,
  };
}

export type TodayModel = ReturnType<typeof createTodayModel>;
