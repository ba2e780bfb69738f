// The Confirm view: past unconfirmed sessions, and the confirmation form for the one picked.
import { computed, signal } from '@preact/signals';
import type { Appointment, Icd10Match } from '../../shared/api-types';
import { formatInZone, localDateTime, parseLocalDateTime } from '../../shared/time/zones';
import type { ApiFailure } from '../api';
import type { Reply } from '../messages';
import { toFieldErrors, type FieldErrors } from './errors';
import { fullName } from './format';
import type { ModelContext } from './model-context';
import { createNoteDrafts, openDraftChannel } from './note-drafts';
import { createSubmission } from './submission';
import { createTypeahead } from './typeahead';

export interface ConfirmFields {
  startTime: string;
  endTime: string;
  cptCode: string;
  /** Set once the provider picks a code, so a changed length no longer re-suggests over it. */
  cptChosen: boolean;
  interactiveComplexity: boolean;
  /** 90840, offered once a 90839 session reaches 75 minutes; on unless the provider unticks it. */
  crisisAddOn: boolean;
  diagnoses: { code: string; description: string }[];
  icdQuery: string;
  patientLocation: 'home' | 'other';
  /** Telehealth: live audio-video (modifier 95) or audio only (93). */
  telehealthModality: 'video' | 'audio';
  note: string;
}

export const ICD_DEBOUNCE_MS = 200;
/** billing.md: a session can be confirmed up to 30 days after it ends (worker/domain/confirm.ts). */
export const CONFIRM_WINDOW_MS = 30 * 24 * 3_600_000;

/** The other ways a past session ends: each asks first, then sends POST …/cancel with its reason. */
export type Outcome = 'no_show' | 'late_cancel' | 'canceled';
export const OUTCOMES: Record<Outcome, { button: string; as: string; done: string }> = {
  no_show: { button: 'No-show', as: 'as a no-show', done: 'marked as a no-show' },
  late_cancel: { button: 'Late cancel', as: 'as a late cancel', done: 'marked as a late cancel' },
  canceled: { button: 'Canceled', as: 'as canceled', done: 'marked as canceled' },
};
export type CancelReason = 'no_show' | 'late_cancel' | 'client' | 'provider';

export function createConfirmModel(ctx: ModelContext) {
  const sessions = signal<Appointment[] | null>(null);
  const loading = signal(false);
  const listFailure = signal<ApiFailure | null>(null);
  const selected = signal<Appointment | null>(null);
  const fields = signal<ConfirmFields | null>(null);
  const errors = signal<FieldErrors>({});
  const failure = signal<ApiFailure | null>(null);
  const icd = createTypeahead<Icd10Match>({
    minLength: 2,
    debounceMs: ICD_DEBOUNCE_MS,
    search: (q) => ctx.send('codes.icd10', { q }),
    onFailure: ctx.onFailure,
  });
  /** The primary CPT codes to choose from, loaded from the background once. */
  const cptCodes = signal<{ code: string; description: string }[]>([]);
  /** What the actual length suggests and, when the chosen code does not fit, the rule it breaks. */
  const cptAdvice = signal<{
    suggested: string | null;
    problems: string[];
    crisisAddOn: { code: '90840'; units: number } | null;
  }>({ suggested: null, problems: [], crisisAddOn: null });
  let adviceSeq = 0;
  const submission = createSubmission(ctx.newKey);
  const emailing = createSubmission(ctx.newKey);
  /** Half-filled forms of other sessions, so switching between them loses nothing. */
  const stash = new Map<string, ConfirmFields>();
  const noteDrafts = createNoteDrafts(ctx, openDraftChannel());
  /** The outcome picked for a session, waiting for its second press; nothing is sent before it. */
  const asking = signal<{ id: string; outcome: Outcome } | null>(null);
  /** The session whose outcome is being sent. */
  const resolving = signal<string | null>(null);
  const resolveFailure = signal<{ id: string; failure: ApiFailure } | null>(null);

  /** Past the 30-day window: can no longer be confirmed, only canceled or marked a no-show. */
  function windowClosed(a: Appointment): boolean {
    return ctx.now().getTime() - Date.parse(a.endsAt) > CONFIRM_WINDOW_MS;
  }

  function ask(a: Appointment, outcome: Outcome): void {
    asking.value = { id: a.id, outcome };
    resolveFailure.value = null;
  }

  function keep(): void {
    asking.value = null;
    resolveFailure.value = null;
  }

  /**
   * The second press: sends the outcome. Resolves to the id of the session now in its place in the list
   * (the next one, else the one before; null when the list is empty), or undefined when it failed.
   */
  async function resolve(a: Appointment, reason: CancelReason): Promise<string | null | undefined> {
    if (resolving.value) return undefined;
    resolving.value = a.id;
    resolveFailure.value = null;
    const reply = await ctx.send('appointments.cancel', { id: a.id, reason });
    resolving.value = null;
    const list = sessions.value ?? [];
    const i = list.findIndex((s) => s.id === a.id);
    const gone =
      reply.ok || (reply.error.kind === 'api' && (reply.error.code === 'invalid_state' || reply.error.status === 404));
    if (!reply.ok) {
      ctx.onFailure(reply.error);
      if (!gone) {
        resolveFailure.value = { id: a.id, failure: reply.error };
        return undefined;
      }
    }
    asking.value = null;
    stash.delete(a.id);
    noteDrafts.forget(a.id);
    const rest = list.filter((s) => s.id !== a.id);
    sessions.value = rest;
    const when = dayOf(a.startsAt, ctx.timeZone.value);
    const outcome = reason === 'client' || reason === 'provider' ? 'canceled' : reason;
    ctx.announce(
      reply.ok
        ? `${fullName(a.client)}’s ${when} session ${OUTCOMES[outcome].done}.`
        : `${fullName(a.client)}’s ${when} session was already resolved elsewhere.`,
    );
    return (rest[i] ?? rest[i - 1] ?? null)?.id ?? null;
  }

  /** The list, from `asked` when the request was already made (the popup asks as it opens). */
  async function load(asked?: Promise<Reply<'appointments.unconfirmed'>>): Promise<void> {
    loading.value = true;
    const reply = await (asked ?? ctx.send('appointments.unconfirmed', {}));
    loading.value = false;
    if (reply.ok) {
      sessions.value = reply.data;
      listFailure.value = null;
    } else {
      listFailure.value = reply.error;
      ctx.onFailure(reply.error);
    }
  }

  function defaultsFor(a: Appointment): ConfirmFields {
    const tz = ctx.timeZone.value;
    return {
      startTime: localDateTime(a.startsAt, tz).time,
      endTime: localDateTime(a.endsAt, tz).time,
      cptCode: '',
      cptChosen: false,
      interactiveComplexity: false,
      crisisAddOn: true,
      diagnoses: [],
      icdQuery: '',
      patientLocation: 'home',
      telehealthModality: 'video',
      note: '',
    };
  }

  function pick(a: Appointment): void {
    const current = selected.value;
    if (current && fields.value) stash.set(current.id, fields.value);
    noteDrafts.flush();
    asking.value = null;
    selected.value = a;
    const kept = stash.get(a.id);
    fields.value = kept ?? defaultsFor(a);
    if (kept?.note) noteDrafts.changed(a.id, kept.note);
    else void restoreNote(a.id);
    errors.value = {};
    failure.value = null;
    icd.reset();
    cptAdvice.value = { suggested: null, problems: [], crisisAddOn: null };
    if (!cptCodes.value.length) {
      void ctx.send('codes.cpt', {}).then((r) => {
        if (r.ok) cptCodes.value = r.data;
      });
    }
    void advise();
  }

  /**
   * Asks the background for the shared CPT rules' verdict on the current length and code; until the
   * provider picks a code, the suggestion becomes the code.
   */
  async function advise(): Promise<void> {
    const times = actual.value;
    const f = fields.value;
    if (!f) return;
    if (!times || times.minutes <= 0) {
      cptAdvice.value = { suggested: null, problems: [], crisisAddOn: null };
      return;
    }
    const seq = ++adviceSeq;
    const ask = (cptCode: string) =>
      ctx.send('cpt.advise', { minutes: times.minutes, cptCode, addOnCodes: addOns(f), crisisAddOn: f.crisisAddOn });
    let reply = await ask(f.cptCode);
    if (seq !== adviceSeq || !reply.ok) return;
    const current = fields.value;
    if (current && !current.cptChosen && reply.data.suggested && reply.data.suggested !== current.cptCode) {
      fields.value = { ...current, cptCode: reply.data.suggested };
      reply = await ask(reply.data.suggested);
      if (seq !== adviceSeq || !reply.ok) return;
    }
    cptAdvice.value = reply.data;
  }

  /** The server's draft of the note, unless something was typed meanwhile. */
  async function restoreNote(id: string): Promise<void> {
    const text = await noteDrafts.load(id);
    const f = fields.value;
    if (text && f && selected.value?.id === id && !f.note) fields.value = { ...f, note: text };
  }

  function back(): void {
    const current = selected.value;
    if (current && fields.value) stash.set(current.id, fields.value);
    noteDrafts.flush();
    selected.value = null;
    fields.value = null;
    failure.value = null;
    errors.value = {};
    icd.reset();
  }

  /** The actual start and end instants from the time boxes, on the session's date. */
  const actual = computed(() => {
    const a = selected.value;
    const f = fields.value;
    if (!a || !f) return null;
    const tz = ctx.timeZone.value;
    const day = localDateTime(a.startsAt, tz).date;
    const start = parseLocalDateTime(day, f.startTime, tz);
    let end = parseLocalDateTime(day, f.endTime, tz);
    // An end time at or before the start is on the next day: a session across midnight (11:30 PM–12:20 AM).
    if (start && end && end <= start) end = parseLocalDateTime(nextDay(day), f.endTime, tz);
    if (!start || !end) return null;
    return { start, end, minutes: Math.round((end.getTime() - start.getTime()) / 60_000) };
  });

  function update<K extends keyof ConfirmFields>(key: K, value: ConfirmFields[K]): void {
    const f = fields.value;
    if (!f) return;
    const next = { ...f, [key]: value };
    if (key === 'cptCode') next.cptChosen = true;
    fields.value = next;
    if (
      key === 'startTime' ||
      key === 'endTime' ||
      key === 'cptCode' ||
      key === 'interactiveComplexity' ||
      key === 'crisisAddOn'
    )
      void advise();
    const a = selected.value;
    if (key === 'note' && a) noteDrafts.changed(a.id, value as string);
    const errorKey = key === 'icdQuery' ? 'diagnosisCodes' : key === 'note' ? 'progressNote' : key;
    if (errors.value[errorKey]) errors.value = { ...errors.value, [errorKey]: '' };
  }

  function searchIcd(query: string): void {
    update('icdQuery', query);
    icd.query(query);
  }

  function addDiagnosis(match: { code: string; description: string }): void {
    const f = fields.value;
    if (!f) return;
    icd.reset();
    if (f.diagnoses.some((d) => d.code === match.code) || f.diagnoses.length >= 12) {
      fields.value = { ...f, icdQuery: '' };
      return;
    }
    fields.value = {
      ...f,
      icdQuery: '',
      diagnoses: [...f.diagnoses, { code: match.code, description: match.description }],
    };
    if (errors.value.diagnosisCodes) errors.value = { ...errors.value, diagnosisCodes: '' };
  }

  function removeDiagnosis(code: string): void {
    const f = fields.value;
    if (f) fields.value = { ...f, diagnoses: f.diagnoses.filter((d) => d.code !== code) };
  }

  async function submit(): Promise<boolean> {
    const a = selected.value;
    const f = fields.value;
    if (!a || !f || submission.busy.value) return false;
    const times = actual.value;
    const input = {
      cptCode: f.cptCode,
      addOnCodes: [...addOns(f), ...crisisCodes(f)],
      diagnosisCodes: f.diagnoses.map((d) => d.code),
      progressNote: f.note,
      startedAt: times?.start.toISOString(),
      endedAt: times?.end.toISOString(),
      ...(a.location.type === 'telehealth'
        ? { patientLocation: f.patientLocation, telehealthModality: f.telehealthModality }
        : {}),
    };
    if (!times) {
      errors.value = { [f.startTime ? 'endTime' : 'startTime']: 'Enter the actual start and end times' };
      failure.value = null;
      return false;
    }
    errors.value = {};
    failure.value = null;
    submission.busy.value = 'confirm';
    const reply = await ctx.send('appointments.confirm', {
      id: a.id,
      input,
      idempotencyKey: submission.keyFor({ id: a.id, input }),
    });
    submission.busy.value = null;
    submission.settle(reply.ok ? null : reply.error);
    if (!reply.ok) {
      // Field issues (the shared schema and CPT rules, checked before any request) show inline.
      errors.value = reply.error.kind === 'api' ? toFieldErrors(reply.error.issues, CONFIRM_PATHS) : {};
      failure.value = Object.keys(errors.value).length ? null : reply.error;
      // Someone confirmed it elsewhere: it no longer belongs in the list.
      if (reply.error.kind === 'api' && reply.error.code === 'already_confirmed') {
        sessions.value = (sessions.value ?? []).filter((s) => s.id !== a.id);
      }
      ctx.onFailure(reply.error);
      return false;
    }
    stash.delete(a.id);
    noteDrafts.forget(a.id); // the API deleted the draft with the confirmation
    sessions.value = (sessions.value ?? []).filter((s) => s.id !== a.id);
    selected.value = null;
    fields.value = null;
    ctx.announce(
      `Session with ${fullName(a.client)} on ${formatInZone(a.startsAt, ctx.timeZone.value, { short: true })} confirmed; the claim is ready.`,
    );
    return true;
  }

  /** 90840 when the advice for the chosen code and length offers it and the provider kept it ticked. */
  function crisisCodes(f: ConfirmFields): string[] {
    const offer = cptAdvice.value.crisisAddOn;
    return offer && f.crisisAddOn && f.cptCode === '90839' ? [offer.code] : [];
  }

  /** billing_incomplete: re-send the client their account link by email. */
  async function emailClient(): Promise<boolean> {
    const a = selected.value;
    if (!a || emailing.busy.value) return false;
    emailing.busy.value = 'email';
    const body = { clientId: a.clientId, reason: 'billing_info' as const };
    const reply = await ctx.send('clients.notify', { ...body, idempotencyKey: emailing.keyFor(body) });
    emailing.busy.value = null;
    emailing.settle(reply.ok ? null : reply.error);
    if (reply.ok) {
      ctx.announce(`Emailed ${fullName(a.client)} a link to complete their billing info.`);
      return true;
    }
    ctx.announce(reply.error.message);
    ctx.onFailure(reply.error);
    return false;
  }

  return {
    sessions,
    loading,
    listFailure,
    selected,
    fields,
    errors,
    failure,
    icdResults: icd.results,
    icdSearching: icd.searching,
    busy: submission.busy,
    emailBusy: emailing.busy,
    actual,
    cptAdvice,
    cptCodes,
    load,
    pick,
    back,
    update,
    searchIcd,
    addDiagnosis,
    removeDiagnosis,
    submit,
    emailClient,
    windowClosed,
    asking,
    resolving,
    resolveFailure,
    ask,
    keep,
    resolve,
    draftStatus: noteDrafts.status,
    /** Sends the note's pending change now (the form is left, the popup hides or closes). */
    flushNote: noteDrafts.flush,
    /**
     * Every half-filled confirmation (the open one included) for session storage, without the note: the
     * note lives only on the server, as a draft.
     */
    drafts: (): Record<string, Omit<ConfirmFields, 'note'>> => {
      const all = new Map(stash);
      const a = selected.value;
      if (a && fields.value) all.set(a.id, fields.value);
      return Object.fromEntries([...all].map(([id, { note: _note, ...rest }]) => [id, rest]));
    },
    restore: (drafts: Record<string, Partial<ConfirmFields>>) => {
      // Forms saved by an older version lack the newer fields: they get the defaults. A note is never
      // taken from storage: it comes from the server's draft when the session is opened.
      for (const [id, f] of Object.entries(drafts))
        stash.set(id, { crisisAddOn: true, telehealthModality: 'video', ...f, note: '' } as ConfirmFields);
    },
  };
}

/** "Tue, Mar 3" in the provider's zone. */
export function dayOf(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', month: 'short', day: 'numeric' }).format(
    new Date(instant),
  );
}

function addOns(f: ConfirmFields): string[] {
  return f.interactiveComplexity ? ['90785'] : [];
}

const CONFIRM_PATHS: Record<string, string> = {
  progressNote: 'note',
  startedAt: 'startTime',
  endedAt: 'endTime',
  addOnCodes: 'cptCode',
};

export type ConfirmModel = ReturnType<typeof createConfirmModel>;

/** The calendar day after `YYYY-MM-DD`. */
function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}
