// The insurance carriers known to the platform.
import type { Payer } from '../../shared/api-types';
import { type Read, rows } from './data';
import { qb } from './kysely';

export const list = (): Read<Payer[]> => ({
  query: qb.selectFrom('payers').select(['id', 'name', 'payer_code']).orderBy('name').compile(),
  map: (r) =>
    (r as { id: string; name: string; payer_code: string }[]).map((p) => ({
      id: p.id,
      name: p.name,
      payerCode: p.payer_code,
    })),
});

/** Whether `payerId` is a known carrier (true for null: nothing to check). */
export const exists = (payerId: string | null): Read<boolean> =>
  payerId === null
    ? { query: qb.selectNoFrom((eb) => eb.val(1).as('one')).compile(), map: () => true }
    : { query: qb.selectFrom('payers').select('id').where('id', '=', payerId).compile(), map: (r) => r.length > 0 };

export const names = () =>
  rows<{ id: string; name: string }>(qb.selectFrom('payers').select(['id', 'name']).orderBy('name').compile());
