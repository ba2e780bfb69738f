// The billing code lists the popup suggests from: psychotherapy CPT codes with their rules, ICD-10-CM search.
import { CPT_RULES } from '../../shared/billing/cpt';
import { fiscalYearOf, readIcd10Query, SEARCH_LIMIT } from '../../shared/billing/icd10';
import { localDate } from '../../shared/time/zones';
import * as icd10 from '../db/codes';
import type { Data } from '../db/data';
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

/**
 * API.md: up to 20 ICD-10-CM codes from the code set in force on `date` (default: today where the
 * provider practises). A query that looks like a code matches by code prefix (dot optional);
 * otherwise every word must appear in the description, word prefixes matching. Billable first, then
 * by code. One query (a query with no words in it finds nothing, and asks nothing).
 */
export async function searchDiagnoses(
  data: Data,
  provider: Provider,
  q: { q: string; date?: string; serviceDate?: string },
) {
  const fy = fiscalYearOf(q.date ?? q.serviceDate ?? localDate(now(), provider.timeZone));
  const query = readIcd10Query(q.q);
  const items =
    query.kind === 'code'
      ? await data.one(icd10.byCodePrefix(query.prefix, fy, SEARCH_LIMIT))
      : query.words.length === 0
        ? []
        : await data.one(icd10.byWords(query.words, fy, SEARCH_LIMIT));
  return { items, nextCursor: null };
}
