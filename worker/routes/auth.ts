// Passwordless sign-in: a 6-digit code by email, exchanged for a 12-hour bearer token.
import { Hono } from 'hono';
import { CodeRequestSchema, TokenRequestSchema } from '../../shared/schemas/auth';
import { now, nowIso } from '../platform/clock';
import { runBatch } from '../db/batch';
import { enqueueEmail } from '../email/outbox';
import { signInCodeEmail } from '../email/templates/sign-in-code';
import type { AppEnv } from '../env';
import { bearerToken, requireProvider, unauthenticated } from './middleware/auth';
import { deliverSoon } from './deliver';
import { jsonBody } from './body';
import { newId, randomToken, sha256Hex, sixDigitCode } from '../platform/crypto';
import { hit, LIMITS } from '../db/rate-limits';
import { providerView } from './me';

export const CODE_LIFETIME_MS = 10 * 60 * 1000;
export const CODE_MAX_TRIES = 5;
export const TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

const codeHash = (codeId: string, code: string) => sha256Hex(`${codeId}:${code}`);
const clientIp = (h: (name: string) => string | undefined) => h('cf-connecting-ip') ?? 'local';

export const authRoutes = new Hono<AppEnv>()
  .post('/code', async (c) => {
    const { email } = await jsonBody(c, CodeRequestSchema);
    const db = c.var.db;
    await hit(
      db,
      LIMITS.codePerIp,
      clientIp((n) => c.req.header(n)),
    );
    await hit(db, LIMITS.codePerEmail, email.toLowerCase());
    const provider = await db
      .selectFrom('providers')
      .select(['id', 'name', 'email'])
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    // An unknown email gets the same answer (no account enumeration).
    if (provider) {
      const id = newId('sic');
      const code = sixDigitCode();
      const t = now();
      await runBatch(c.env.DB, [
        // A new code replaces any earlier one still open.
        db
          .updateTable('sign_in_codes')
          .set({ used_at: t.toISOString() })
          .where('provider_id', '=', provider.id)
          .where('used_at', 'is', null)
          .compile(),
        db
          .insertInto('sign_in_codes')
          .values({
            id,
            provider_id: provider.id,
            code_hash: await codeHash(id, code),
            expires_at: new Date(t.getTime() + CODE_LIFETIME_MS).toISOString(),
            created_at: t.toISOString(),
          })
          .compile(),
        enqueueEmail(db, c.env, {
          kind: 'sign_in_code',
          to: provider.email,
          providerId: provider.id,
          ...signInCodeEmail({ name: provider.name, code, minutes: CODE_LIFETIME_MS / 60000 }),
        }),
      ]);
      deliverSoon(c);
    }
    return c.json({}, 202);
  })
  .post('/token', async (c) => {
    const { email, code } = await jsonBody(c, TokenRequestSchema);
    const db = c.var.db;
    await hit(
      db,
      LIMITS.tokenPerIp,
      clientIp((n) => c.req.header(n)),
    );
    const at = nowIso();
    const wrong = () =>
      unauthenticated('That code is wrong or has expired. Check the latest email, or request a new code.');
    const latest = await db
      .selectFrom('sign_in_codes as s')
      .innerJoin('providers as p', 'p.id', 's.provider_id')
      .select(['s.id', 'p.id as provider_id'])
      .where('p.email', '=', email.toLowerCase())
      .where('s.used_at', 'is', null)
      .where('s.expires_at', '>', at)
      .orderBy('s.created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!latest) throw wrong();
    // Count the try before comparing: parallel guesses cannot get more than 5 tries between them.
    const tried = await db
      .updateTable('sign_in_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', latest.id)
      .where('attempts', '<', CODE_MAX_TRIES)
      .where('used_at', 'is', null)
      .returning(['code_hash'])
      .executeTakeFirst();
    if (!tried || (await codeHash(latest.id, code)) !== tried.code_hash) throw wrong();
    const row = latest;
    const token = randomToken();
    const expiresAt = new Date(now().getTime() + TOKEN_LIFETIME_MS).toISOString();
    // Spend the code and mint the token together; the conditions make a code usable once.
    const [spent] = await runBatch(c.env.DB, [
      db
        .updateTable('sign_in_codes')
        .set({ used_at: at })
        .where('id', '=', row.id)
        .where('used_at', 'is', null)
        .compile(),
      c.env.DB.prepare(
        `INSERT INTO auth_tokens (token_hash, provider_id, created_at, expires_at)
         SELECT ?, ?, ?, ? WHERE changes() = 1`,
      ).bind(await sha256Hex(token), row.provider_id, at, expiresAt),
    ]);
    if (spent?.meta.changes !== 1) throw wrong();
    return c.json({ token, expiresAt, provider: await providerView(db, row.provider_id) }, 200);
  })
  .post('/logout', requireProvider, async (c) => {
    const token = bearerToken(c.req.header('authorization'))!;
    await c.var.db
      .updateTable('auth_tokens')
      .set({ revoked_at: nowIso() })
      .where('token_hash', '=', await sha256Hex(token))
      .where('revoked_at', 'is', null)
      .execute();
    return c.body(null, 204);
  });
