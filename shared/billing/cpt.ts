// The psychotherapy CPT codes Caseload bills, their rules as data, and the checks the popup and API share.
// Source of every rule: docs/billing.md ("Psychotherapy CPT codes this product bills").

export interface CptRule {
  code: string;
  description: string;
  kind: 'primary' | 'add_on';
  /** Least face-to-face minutes of the whole session; null when untimed. */
  minMinutes: number | null;
  /** Most face-to-face minutes of the whole session; null when open-ended. */
  maxMinutes: number | null;
  prescriberOnly: boolean;
  /** For an add-on: the only primary codes it may be billed with. */
  addOnTo?: string[];
  /** Codes that may never be billed in the same session as this one. */
  notWith?: string[];
  /** One of the codes carrying this flag per session (90832/90834/90837); they also drive suggestCpt. */
  onePerSession?: boolean;
  note: string;
}

export const CPT_RULES: readonly CptRule[] = Object.freeze(
  [
    {
      code: '90791',
      description: 'Diagnostic evaluation (intake)',
      kind: 'primary',
      minMinutes: 16,
      maxMinutes: null,
      prescriberOnly: false,
      note: 'Once per day.',
    },
    {
      code: '90792',
      description: 'Diagnostic evaluation with medical services',
      kind: 'primary',
      minMinutes: 16,
      maxMinutes: null,
      prescriberOnly: true,
      note: 'Prescribers only; this product does not bill it.',
    },
    {
      code: '90832',
      description: 'Psychotherapy, 30 minutes',
      kind: 'primary',
      minMinutes: 16,
      maxMinutes: 37,
      prescriberOnly: false,
      onePerSession: true,
      note: 'One of 90832/90834/90837 per session.',
    },
    {
      code: '90834',
      description: 'Psychotherapy, 45 minutes',
      kind: 'primary',
      minMinutes: 38,
      maxMinutes: 52,
      prescriberOnly: false,
      onePerSession: true,
      note: 'One of 90832/90834/90837 per session.',
    },
    {
      code: '90837',
      description: 'Psychotherapy, 60 minutes',
      kind: 'primary',
      minMinutes: 53,
      maxMinutes: null,
      prescriberOnly: false,
      onePerSession: true,
      note: 'One of 90832/90834/90837 per session.',
    },
    {
      code: '90839',
      description: 'Psychotherapy for crisis, first 60 minutes',
      kind: 'primary',
      minMinutes: 30,
      maxMinutes: 74,
      prescriberOnly: false,
      notWith: ['90785'],
      note: 'Not with 90785; from 75 minutes add 90840.',
    },
    {
      code: '90840',
      description: 'Psychotherapy for crisis, each additional 30 minutes',
      kind: 'add_on',
      minMinutes: 75,
      maxMinutes: null,
      prescriberOnly: false,
      addOnTo: ['90839'],
      note: 'Only with 90839; the session must total at least 75 minutes.',
    },
    {
      code: '90846',
      description: 'Family psychotherapy without the patient present',
      kind: 'primary',
      minMinutes: 26,
      maxMinutes: null,
      prescriberOnly: false,
      note: '',
    },
    {
      code: '90847',
      description: 'Family psychotherapy with the patient present',
      kind: 'primary',
      minMinutes: 26,
      maxMinutes: null,
      prescriberOnly: false,
      note: '',
    },
    {
      code: '90853',
      description: 'Group psychotherapy',
      kind: 'primary',
      minMinutes: null,
      maxMinutes: null,
      prescriberOnly: false,
      note: 'Untimed.',
    },
    {
      code: '90785',
      description: 'Interactive complexity',
      kind: 'add_on',
      minMinutes: null,
      maxMinutes: null,
      prescriberOnly: false,
      addOnTo: ['90791', '90792', '90832', '90834', '90837', '90853'],
      notWith: ['90839', '90840', '90846', '90847'],
      note: 'Only with 90791, 90792, 90832, 90834, 90837 or 90853; never with 90839/90840 or 90846/90847.',
    },
  ].map((rule) => Object.freeze(rule as CptRule)),
);

// billing.md: psychotherapy with an E/M visit is for prescribers; these codes are not in the table
// above because this product never bills them, but they are recognised so the refusal is specific.
const WITH_EM_VISIT: Readonly<Record<string, string>> = {
  '90833': 'psychotherapy, 30 minutes, with an E/M visit',
  '90836': 'psychotherapy, 45 minutes, with an E/M visit',
  '90838': 'psychotherapy, 60 minutes, with an E/M visit',
};

export const PRESCRIBER_ONLY_CODES: readonly string[] = Object.freeze([
  ...CPT_RULES.filter((r) => r.prescriberOnly).map((r) => r.code),
  ...Object.keys(WITH_EM_VISIT),
]);

// billing.md: "Under 16 minutes nothing is billable."
const MIN_BILLABLE_MINUTES = 16;

const RULES = new Map(CPT_RULES.map((r) => [r.code, r]));

// Minutes come from actual start and end times and may carry seconds; a minute counts once it has passed.
function wholeMinutes(minutes: number): number {
  return Math.floor(minutes);
}

function inRange(rule: CptRule, minutes: number): boolean {
  return (
    (rule.minMinutes === null || minutes >= rule.minMinutes) && (rule.maxMinutes === null || minutes <= rule.maxMinutes)
  );
}

/** The time-based psychotherapy code (90832/90834/90837) for a session of this many face-to-face minutes. */
export function suggestCpt(minutes: number): string | null {
  if (!Number.isFinite(minutes)) return null;
  const m = wholeMinutes(minutes);
  if (m < MIN_BILLABLE_MINUTES) return null;
  return CPT_RULES.find((r) => r.onePerSession && inRange(r, m))?.code ?? null;
}

export interface CptProblem {
  code: string;
  message: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function rangeText(rule: CptRule): string {
  if (rule.minMinutes !== null && rule.maxMinutes !== null) return `${rule.minMinutes}–${rule.maxMinutes} minutes`;
  if (rule.minMinutes !== null) return `at least ${plural(rule.minMinutes, 'minute')}`;
  return `at most ${plural(rule.maxMinutes ?? 0, 'minute')}`;
}

function listText(codes: readonly string[]): string {
  if (codes.length <= 1) return codes.join('');
  return `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
}

// billing.md: 90839 covers the first 60 minutes of crisis care (30–74); from 75 minutes 90840 is added.
// So a primary's upper bound no longer applies when an add-on that exists to extend it is billed.
function extenders(primary: CptRule): CptRule[] {
  return CPT_RULES.filter(
    (r) =>
      r.kind === 'add_on' &&
      r.addOnTo?.includes(primary.code) &&
      primary.maxMinutes !== null &&
      r.minMinutes !== null &&
      r.minMinutes > primary.maxMinutes,
  );
}

function timeProblem(rule: CptRule, minutes: number, addOns: readonly string[]): CptProblem | null {
  const extendedBy = rule.kind === 'primary' ? extenders(rule) : [];
  const extended = extendedBy.some((r) => addOns.includes(r.code));
  const effective: CptRule = extended ? { ...rule, maxMinutes: null } : rule;
  if (inRange(effective, minutes)) return null;

  let hint = '';
  if (rule.onePerSession) {
    const better = suggestCpt(minutes);
    if (better) hint = ` (use ${better})`;
  } else if (rule.maxMinutes !== null && minutes > rule.maxMinutes && extendedBy.length > 0) {
    hint = ` (add ${listText(extendedBy.map((r) => r.code))} for the time beyond ${rule.maxMinutes} minutes)`;
  }
  const total = rule.kind === 'add_on' ? ' in total' : '';
  return {
    code: rule.code,
    message: `${rule.code} needs ${rangeText(effective)} of face-to-face time${total}; this session lasted ${plural(minutes, 'minute')}${hint}.`,
  };
}

function prescriberMessage(code: string): string {
  const withEm = WITH_EM_VISIT[code];
  if (withEm) return `${code} (${withEm}) is a prescriber code; this product does not bill prescriber codes.`;
  const rule = RULES.get(code);
  return `${code} (${rule?.description.toLowerCase() ?? 'prescriber service'}) is for prescribers only; this product does not bill prescriber codes.`;
}

function unknownMessage(code: string): string {
  if (code === '') return 'A CPT code is required.';
  if (!/^[0-9]{5}$/.test(code)) return `"${code}" is not a CPT code; CPT codes are 5 digits.`;
  return `${code} is not a psychotherapy code this product bills.`;
}

/**
 * Problems with one session's codes, primary first then add-ons in the order given; [] when the
 * codes can be billed. `minutes` is the session's actual face-to-face length.
 */
export function checkCpt(input: { cptCode: string; addOnCodes: string[]; minutes: number }): CptProblem[] {
  const { cptCode, addOnCodes } = input;
  const problems: CptProblem[] = [];

  if (!Number.isFinite(input.minutes) || input.minutes < 0) {
    problems.push({
      code: cptCode,
      message: `The session length must be a number of minutes; got ${String(input.minutes)}.`,
    });
    return problems;
  }
  const minutes = wholeMinutes(input.minutes);
  const billableLength = minutes >= MIN_BILLABLE_MINUTES;

  let primary: CptRule | undefined;
  if (PRESCRIBER_ONLY_CODES.includes(cptCode)) {
    problems.push({ code: cptCode, message: prescriberMessage(cptCode) });
  } else {
    const rule = RULES.get(cptCode);
    if (!rule) {
      problems.push({ code: cptCode, message: unknownMessage(cptCode) });
    } else if (rule.kind !== 'primary') {
      problems.push({
        code: cptCode,
        message: `${cptCode} (${rule.description.toLowerCase()}) is an add-on code; it is billed with a primary code, not on its own.`,
      });
    } else {
      primary = rule;
    }
  }

  if (!billableLength) {
    problems.push({
      code: cptCode,
      message: `Under ${MIN_BILLABLE_MINUTES} minutes of face-to-face time nothing is billable; this session lasted ${plural(minutes, 'minute')}.`,
    });
  } else if (primary) {
    const p = timeProblem(primary, minutes, addOnCodes);
    if (p) problems.push(p);
  }

  const seen = new Set<string>();
  // The codes already in the session, to judge notWith pairs once each (90839 and 90785 both name each other).
  const inSession: CptRule[] = primary ? [primary] : [];
  for (const code of addOnCodes) {
    if (seen.has(code)) {
      problems.push({ code, message: `${code} is listed more than once; list each add-on code once.` });
      continue;
    }
    seen.add(code);

    if (PRESCRIBER_ONLY_CODES.includes(code)) {
      problems.push({ code, message: prescriberMessage(code) });
      continue;
    }
    const rule = RULES.get(code);
    if (!rule) {
      problems.push({ code, message: unknownMessage(code) });
      continue;
    }
    if (rule.kind !== 'add_on') {
      // billing.md: one of 90832/90834/90837 per session; more generally a session has one primary code.
      const message =
        code === cptCode
          ? `${code} is already the session's primary code; it cannot also be an add-on.`
          : primary?.onePerSession && rule.onePerSession
            ? `Only one of ${listText(CPT_RULES.filter((r) => r.onePerSession).map((r) => r.code))} may be billed per session; ${code} cannot be added to ${primary.code}.`
            : `${code} is a primary code, not an add-on; a session has one primary code${primary ? ` (${primary.code})` : ''}.`;
      problems.push({ code, message });
      continue;
    }

    const clash = inSession.find((other) => other.notWith?.includes(code) || rule.notWith?.includes(other.code));
    if (clash) {
      problems.push({
        code,
        message: `${code} (${rule.description.toLowerCase()}) is never billed with ${clash.code}.`,
      });
      continue;
    }
    if (primary && rule.addOnTo && !rule.addOnTo.includes(primary.code)) {
      problems.push({
        code,
        message: `${code} (${rule.description.toLowerCase()}) is billed only with ${listText(rule.addOnTo)}, not with ${primary.code}.`,
      });
      continue;
    }
    if (billableLength) {
      const p = timeProblem(rule, minutes, addOnCodes);
      if (p) problems.push(p);
    }
    // Only a code that passed its pairing rules is held against later add-ons, so one bad add-on is named once.
    inSession.push(rule);
  }

  return problems;
}

/**
 * Units of 90840 ("each additional 30 minutes" after 90839's first 60): 75–104 minutes is one
 * unit, 105–134 two, each further 30 minutes one more (billing.md). Every other code: 1.
 */
export function unitsFor(code: string, minutes: number): number {
  if (code === '90840') return Math.max(1, Math.floor((wholeMinutes(minutes) - 75) / 30) + 1);
  return 1;
}

/** The crisis add-on the popup offers once a 90839 session reaches 75 minutes, with its units. */
export function crisisAddOn(cptCode: string, minutes: number): { code: '90840'; units: number } | null {
  if (cptCode !== '90839' || !Number.isFinite(minutes) || wholeMinutes(minutes) < 75) return null;
  return { code: '90840', units: unitsFor('90840', minutes) };
}

const EVALUATION = ['90791', '90792'];
const PSYCHOTHERAPY = ['90832', '90834', '90837', '90839', '90840'];

/** Another session of the same client on the same date of service, as already confirmed. */
export interface SameDaySession {
  cptCode: string;
  /** How to name it in a message, e.g. "the 10:00 session". */
  label: string;
}

/**
 * billing.md's same-date edits for one client: a diagnostic evaluation once per day, and never an
 * evaluation (90791/90792) together with psychotherapy or crisis (90832–90840), even from two
 * separate sessions. The message names the other session; null when the code may be billed.
 */
export function sameDayProblem(cptCode: string, serviceDate: string, others: SameDaySession[]): string | null {
  const isEvaluation = EVALUATION.includes(cptCode);
  const isTherapy = PSYCHOTHERAPY.includes(cptCode);
  for (const other of others) {
    if (isEvaluation && EVALUATION.includes(other.cptCode)) {
      return `${cptCode} (diagnostic evaluation) is billed once per day; this client already has ${other.cptCode} on ${serviceDate} (${other.label}).`;
    }
    if ((isEvaluation && PSYCHOTHERAPY.includes(other.cptCode)) || (isTherapy && EVALUATION.includes(other.cptCode))) {
      return `A diagnostic evaluation and psychotherapy are not billed for the same client on the same date: ${other.label} on ${serviceDate} was confirmed with ${other.cptCode}, so ${cptCode} cannot be billed.`;
    }
  }
  return null;
}
