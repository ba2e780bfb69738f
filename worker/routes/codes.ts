// The billing code lists: psychotherapy CPT codes with their rules, ICD-10-CM search.
import { Hono } from 'hono';
import { Icd10QuerySchema } from '../../shared/schemas/appointment';
import { cptCodes, searchDiagnoses } from '../domain/codes';
import type { AppEnv } from './env';
import { query } from './validation';

export const codeRoutes = new Hono<AppEnv>()
  .get('/cpt', (c) => c.json(cptCodes(), 200))
  .get('/icd10', query(Icd10QuerySchema), (c) => c.json(searchDiagnoses(c.var.provider, c.req.valid('query')), 200));
