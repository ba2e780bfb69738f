// The Schedule form: client type-ahead, date and time in the provider's zone, length, place, repeat.
import { signal } from '@preact/signals';
import type { Appointment, Client } from '../../shared/api-types';
import { formatInZone, localDateTime, parseLocalDateTime } from '../../shared/time/zones';
import type { ApiFailure } from '../api';
import type { Prefill } from '../storage';
import { toFieldErrors, type FieldErrors } from './errors';
import { fullName } from './format';
import type { ModelContext } from './model-context';
import { createSubmission } from './submission';
import { createTypeahead } from './typeahead';

export const LENGTH_PRESETS = ['30', '45', '53', '60'] as const;
export type ClientRef = Pick<Client, 'id' | 'firstName' | 'lastName'>;

export interface ScheduleFields {
  clientQuery: string;
  client: ClientRef | null;
  date: string;
  time: string;
  length: (typeof LENGTH_PRESETS)[number] | 'custom';
  customLength: string;
  location: 'office' | 'telehealth';
  repeat: 'none' | 'week' | '2weeks';
  count: string;
  notify: boolean;
}

export const SEARCH_DEBOUNCE_MS = 200;

export function createScheduleModel(ctx: ModelContext) {
  const defaults = (): ScheduleFields => {
    // The next whole hour, in the provider's zone.
    const next = new Date(Math.ceil((ctx.now().getTime() + 1) / 3_600_000) * 3_600_000);
    const { date, time } = localDateTime(next.toISOString(), ctx.timeZone.value);
    return {
      clientQuery: '',
      client: null,
      date,
      time,
      length: '53',
      customLength: '',
      location: 'office',
      repeat: 'none',
      count: '4',
      notify: true,
    };
  };
  const fields = signal<ScheduleFields>(defaults());
  const errors = signal<FieldErrors>({});
  const failure = signal<ApiFailure | null>(null);
  /** The selected text the menu brought, and whether a date was read from it. */
  const fromSelection = signal<{ text: string; found: 'date_time' | 'date' | 'nothing' } | null>(null);
  const clientSearch = createTypeahead<Client>({
    minLength: 1,
    debounceMs: SEARCH_DEBOUNCE_MS,
    search: (q) => ctx.send('clients.search', { q }),
    onFailure: ctx.onFailure,
  });
  const submission = createSubmission(ctx.newKey);

  function update<K extends keyof ScheduleFields>(key: K, value: ScheduleFields[K]): void {
    fields.value = { ...fields.value, [key]: value };
    const errorKey = key === 'clientQuery' ? 'client' : key;
    if (errors.value[errorKey]) errors.value = { ...errors.value, [errorKey]: '' };
  }

  /** Typing in the client box clears the pick and searches after a pause. */
  function typeClient(query: string): void {
    fields.value = { ...fields.value, clientQuery: query, client: null };
    if (errors.value.client) errors.value = { ...errors.value, client: '' };
    clientSearch.query(query);
  }

  function pickClient(client: ClientRef): void {
    clientSearch.reset();
    fields.value = { ...fields.value, client, clientQuery: fullName(client) };
    if (errors.value.client) errors.value = { ...errors.value, client: '' };
  }

  function applyPrefill(prefill: Prefill): void {
    const next = { ...fields.value };
    let found: 'date_time' | 'date' | 'nothing' = 'nothing';
    if (prefill.startsAt) {
      const { date, time } = localDateTime(prefill.startsAt, ctx.timeZone.value);
      next.date = date;
      next.time = prefill.dateOnly ? '' : time;
      found = prefill.dateOnly ? 'date' : 'date_time';
    }
    if (prefill.client) {
      next.client = prefill.client;
      next.clientQuery = fullName(prefill.client);
    }
    fields.value = next;
    errors.value = {};
    failure.value = null;
    fromSelection.value = prefill.selection ? { text: prefill.selection, found } : null;
  }

  function durationOf(f: ScheduleFields): number {
    return f.length === 'custom' ? Number(f.customLength.trim() || NaN) : Number(f.length);
  }

  async function submit(): Promise<boolean> {
    if (submission.busy.value) return false;
    const f = fields.value;
    const tz = ctx.timeZone.value;
    const local: FieldErrors = {};
    if (!f.client) local.client = f.clientQuery.trim() ? 'Choose the client from the list' : 'Choose a client';
    if (!f.date) local.date = 'Enter the date';
    if (!f.time) local.time = 'Enter the time';
    const start = parseLocalDateTime(f.date, f.time, tz);
    if (f.date && f.time && !start) local.date = 'Enter a real date and time';

    const input = {
      clientId: f.client?.id ?? '',
      startsAt: start?.toISOString() ?? '',
      durationMinutes: durationOf(f),
      location: { type: f.location },
      notify: f.notify,
      ...(f.repeat === 'none' ? {} : { repeat: { every: f.repeat, count: Number(f.count) } }),
    };
    if (Object.values(local).some(Boolean)) {
      errors.value = local;
      failure.value = null;
      return false;
    }
    errors.value = {};
    failure.value = null;
    submission.busy.value = 'add';
    const reply = await ctx.send('appointments.create', { input, idempotencyKey: submission.keyFor(input) });
    submission.busy.value = null;
    submission.settle(reply.ok ? null : reply.error);
    if (!reply.ok) {
      // Field issues (the shared schema's, checked before any request) show inline; others as a sentence.
      errors.value = reply.error.kind === 'api' ? toFieldErrors(reply.error.issues, SCHEDULE_PATHS(f)) : {};
      failure.value = Object.keys(errors.value).length ? null : reply.error;
      ctx.onFailure(reply.error);
      return false;
    }
    const first = reply.data[0];
    const who = f.client ? fullName(f.client) : 'the client';
    const when = first ? formatInZone(first.startsAt, tz, { short: true }) : '';
    const series = reply.data.length > 1 ? `${reply.data.length} sessions from ${when}` : `Session on ${when}`;
    const past = first && Date.parse(first.startsAt) < ctx.now().getTime();
    ctx.announce(
      `${series} with ${who} added${f.notify && !past ? `; ${f.client?.firstName ?? 'the client'} will get the details by email` : ''}.`,
    );
    fields.value = defaults();
    fromSelection.value = null;
    return true;
  }

  /** "your session with Jane Doe on Tue, Mar 10, 3:00 PM EST" for each conflicting session. */
  function conflictText(sessions: Appointment[] | undefined): string | null {
    if (!sessions?.length) return null;
    const tz = ctx.timeZone.value;
    const each = sessions.map(
      (a) =>
        `your session with ${fullName(a.client)} on ${formatInZone(a.startsAt, tz, { short: true })} (${a.durationMinutes} min)`,
    );
    return `That time overlaps ${each.join(' and ')}.`;
  }

  return {
    fields,
    errors,
    failure,
    fromSelection,
    suggestions: clientSearch.results,
    searching: clientSearch.searching,
    busy: submission.busy,
    update,
    typeClient,
    pickClient,
    applyPrefill,
    submit,
    conflictText,
    reset: () => {
      fields.value = defaults();
      errors.value = {};
      failure.value = null;
      fromSelection.value = null;
    },
  };
}

// Schema paths → the form control that shows the message.
const SCHEDULE_PATHS = (f: ScheduleFields): Record<string, string> => ({
  clientId: 'client',
  startsAt: 'date',
  durationMinutes: f.length === 'custom' ? 'customLength' : 'length',
  'repeat.count': 'count',
  'repeat.every': 'repeat',
  location: 'location',
});

export type ScheduleModel = ReturnType<typeof createScheduleModel>;
