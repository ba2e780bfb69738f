// The database's liveness probe.
import { sql } from 'kysely';
import { first, type Read } from './data';
import { qb } from './kysely';

export const ping = (): Read<unknown> => first(sql`SELECT 1 AS ok`.compile(qb));
