// The Confirm view: past unconfirmed sessions, and the confirmation form for the one picked.
import { computed, signal } from '@preact/signals';
import type { Appointment, Icd10Match } from '../../shared/api-types';
import { formatInZone, localDateTime, parseLocalDateTime } from '../../shared/time/zones';
import type { ApiFailure } from '../api';
import type { Reply } from '../messages';
import { toFieldErrors, type FieldErrors } from './errors';
import { fullName } from './format';
import type { ModelContext } from './model-context';
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
    selected.value = a;
    fields.value = stash.get(a.id) ?? defaultsFor(a);
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

  function back(): void {
    const current = selected.value;
    if (current && fields.value) stash.set(current.id, fields.value);
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
    drafts: () => Object.fromEntries(stash),
    restore: (drafts: Record<string, Partial<ConfirmFields>>) => {
      // Forms saved by an older version lack the newer fields: they get the defaults.
      for (const [id, f] of Object.entries(drafts))
        stash.set(id, { crisisAddOn: true, telehealthModality: 'video', ...f } as ConfirmFields);
    },
  };
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
