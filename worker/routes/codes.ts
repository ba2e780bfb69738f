// The billing code lists the popup suggests from: psychotherapy CPT codes with their rules, ICD-10-CM search.
import { Hono } from 'hono';
import { CPT_RULES } from '../../shared/billing/cpt';
import { searchIcd10 } from '../../shared/billing/icd10';
import { Icd10QuerySchema } from '../../shared/schemas/appointment';
import { localDate } from '../../shared/time/zones';
import { now } from '../platform/clock';
import type { AppEnv } from '../env';
import { queryParams } from './body';

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

export const codeRoutes = new Hono<AppEnv>()
  .get('/cpt', (c) => c.json({ items: BILLABLE_CPT, nextCursor: null }, 200))
  .get('/icd10', (c) => {
    const q = queryParams(c, Icd10QuerySchema);
    // The code set in force on the date of service; by default today where the provider practises.
    const serviceDate = q.serviceDate ?? localDate(now(), c.var.provider.timeZone);
    return c.json({ items: searchIcd10(q.q, { serviceDate }), nextCursor: null }, 200);
  });
