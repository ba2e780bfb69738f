// The billing code lists the popup suggests from: psychotherapy CPT codes with their rules, ICD-10-CM search.
import { CPT_RULES } from '../../shared/billing/cpt';
import { searchIcd10 } from '../../shared/billing/icd10';
import { localDate } from '../../shared/time/zones';
import { now } from '../platform/clock';
import type { Provider } from './context';

// Prescriber-only codes are refused at confirmation, so they are not offered.
const BILLABLE_CPT = CPT_RULES.filter((r) => !r.prescriberOnly).map((r) => ({
  code: r.code,
  description: r.description,
  kind: r.kind,
  minMinutes: r.minMinutes,
  maxMinutes: r.maxMinutes,
  addOnTo: r.addOnTo ?? null,
  notWith: r.notWith ?? null,
  onePerSession: r.onePerSession ?? false,
  note: r.note,
}));

export const cptCodes = () => ({ items: BILLABLE_CPT, nextCursor: null });

/** ICD-10-CM matches in the code set in force on the date of service (default: today where the provider practises). */
export function searchDiagnoses(provider: Provider, q: { q: string; serviceDate?: string }) {
  const serviceDate = q.serviceDate ?? localDate(now(), provider.timeZone);
  return { items: searchIcd10(q.q, { serviceDate }), nextCursor: null };
}
