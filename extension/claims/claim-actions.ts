// What can be done to a claim from the Claims page, by its status: the reports the API allows
// (API.md "Claims": exported → submitted → accepted | rejected; accepted → paid | denied), a correction
// (replacement) and a void. The API refuses anything else with 409 invalid_state; the page offers only these.
import type { ClaimOut } from '../api';

export type Report = 'submitted' | 'accepted' | 'rejected' | 'paid' | 'denied';

const NEXT: Partial<Record<ClaimOut['status'], Report[]>> = {
  exported: ['submitted'],
  submitted: ['accepted', 'rejected'],
  accepted: ['paid', 'denied'],
};

export const REPORT_LABEL: Record<Report, string> = {
  submitted: 'Record submitted',
  accepted: 'Record accepted',
  rejected: 'Record rejected',
  paid: 'Record paid',
  denied: 'Record denied',
};

export const STATUS_LABEL: Record<ClaimOut['status'], string> = {
  ready: 'Ready',
  exported: 'Exported',
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  paid: 'Paid',
  denied: 'Denied',
  replaced: 'Replaced',
  voided: 'Voided',
};

/** The status reports this claim can take now. */
export const reportsFor = (c: Pick<ClaimOut, 'status'>): Report[] => NEXT[c.status] ?? [];

/** A claim superseded or itself a void claim is final: nothing more can be done to it. */
const isFinal = (c: Pick<ClaimOut, 'status' | 'frequency'>) =>
  c.status === 'replaced' || c.status === 'voided' || c.frequency === 'void';

/** A replacement is for a claim that has left `ready` (a ready one is corrected from its confirmation). */
export const canCorrect = (c: Pick<ClaimOut, 'status' | 'frequency'>) => !isFinal(c) && c.status !== 'ready';

export const canVoid = (c: Pick<ClaimOut, 'status' | 'frequency'>) => !isFinal(c);

export const patientName = (c: Pick<ClaimOut, 'patient'>) => `${c.patient.legalFirstName} ${c.patient.legalLastName}`;

/** The claim's codes as a biller reads them: "90837, 90785 · F41.1, F32.1". */
export function codesOf(c: Pick<ClaimOut, 'lines' | 'diagnosisCodes'>): string {
  const cpt = c.lines.map((l) => (l.modifiers.length ? `${l.cptCode}-${l.modifiers.join('-')}` : l.cptCode));
  return `${cpt.join(', ')} · ${c.diagnosisCodes.join(', ')}`;
}

export const FREQUENCY_NOTE: Record<ClaimOut['frequency'], string> = {
  original: '',
  replacement: 'Replacement',
  void: 'Void claim',
};
