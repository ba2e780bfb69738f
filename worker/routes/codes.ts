// The billing code lists: psychotherapy CPT codes with their rules, ICD-10-CM search.
import { Hono } from 'hono';
import { Icd10QuerySchema } from '../../shared/schemas/appointment';
import { cptCodes, searchDiagnoses } from '../domain/codes';
import type { AppEnv } from './env';
import { query } from './validation';
import * as R from '../../shared/schemas/responses';
import { describe } from './describe';

export const codeRoutes = new Hono<AppEnv>()
  .get(
    '/cpt',
    describe({
      summary: 'The psychotherapy CPT codes and their rules',
      tag: 'Codes',
      status: 200,
      body: R.CptCodesOut,
    }),
    (c) => c.json(cptCodes(), 200),
  )
  .get(
    '/icd10',
    describe({
      summary: 'ICD-10-CM search (every chapter) by code prefix or word prefixes, in the code set in force on date',
      tag: 'Codes',
      status: 200,
      body: R.Icd10MatchesOut,
    }),
    query(Icd10QuerySchema),
    async (c) => c.json(await searchDiagnoses(c.var.data, c.var.provider, c.req.valid('query')), 200),
  );
