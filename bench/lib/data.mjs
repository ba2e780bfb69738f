// The benchmark clinic, as SQL: a provider with a year of history and a roster, the providers
// around it, and pools of past sessions to confirm. Built with recursive CTEs so 100,000 rows are
// one statement; every instant is relative to `now` so the data is "current" whenever it runs.
import { createHash, randomBytes } from 'node:crypto';

export const MAIN = 'prv_bench';
export const MAIN_EMAIL = 'bench@caseload.local';
export const TZ = 'America/New_York';

const FIRST = [
  'Maria',
  'James',
  'Priya',
  'Tom',
  'Lena',
  'Marcus',
  'Aisha',
  'Daniel',
  'Sofia',
  'Ethan',
  'Mei',
  'Omar',
  'Grace',
  'Lucas',
  'Nina',
  'Samuel',
  'Hana',
  'Victor',
  'Chloe',
  'Ravi',
];
const LAST = [
  'Alvarez',
  'Okafor',
  'Shah',
  'Becker',
  'Fischer',
  'Martin',
  'Nguyen',
  'Kowalski',
  'Rossi',
  'Johnson',
  'Tanaka',
  'Haddad',
  'Murphy',
  'Silva',
  'Novak',
  'Cohen',
  'Park',
  'Mendes',
  'Dubois',
  'Patel',
];

export const sha256Hex = (text) => createHash('sha256').update(text).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
/** SQLite expression for an ISO instant `offset` (an SQL expression of modifiers) from `now`. */
const at = (now, ...mods) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${q(now)}${mods.map((m) => `, ${m}`).join('')})`;
// A name by index without a compound SELECT (D1 refuses more than a few terms): fixed-width slices of one string.
const NAMES = (col, list) => `rtrim(substr(${q(list.map((n) => n.padEnd(12)).join(''))}, (${col}) * 12 + 1, 12))`;

/** Every code a session may be confirmed with; the bench practice charges a fee for each. */
const FEE_CODES = ['90791', '90832', '90834', '90837', '90839', '90840', '90846', '90847', '90853', '90785'];

/**
 * A provider, approved by Aetna (so it may schedule), with a complete billing profile and a fee for
 * every code (so confirming makes a claim), and its bearer token. The sealed tax id is a stand-in:
 * confirming checks that one is on file, only an 837P export opens it (bench/claim-export.mjs sets
 * its providers' profiles through the API instead).
 */
export function providerSql({ id, email, name, now, token }) {
  return [
    `INSERT INTO providers (id, name, email, npi, time_zone, telehealth_url, created_at, updated_at)
     VALUES (${q(id)}, ${q(name)}, ${q(email)}, '1234567893', ${q(TZ)}, 'https://video.example.com/bench', ${q(now)}, ${q(now)})`,
    `INSERT INTO provider_carriers (provider_id, payer_id, status, updated_at) VALUES (${q(id)}, 'pay_aetna', 'approved', ${q(now)})`,
    `INSERT INTO provider_billing_profiles (provider_id, billing_name, entity, tax_id_type, tax_id_last4, tax_id_sealed,
       taxonomy_code, address_line1, address_city, address_state, address_postal_code, phone, has_service_address,
       edi_submitter_id, edi_submitter_name, edi_receiver_id, edi_receiver_name, edi_usage, updated_at)
     VALUES (${q(id)}, 'Mark, Bench', 'person', 'EIN', '6789', 'bench.stand-in.not-opened', '101YP2500X', '200 Park Ave',
       'New York', 'NY', '10166-0005', '212-555-0150', 0, 'BENCH01', 'Bench Mark', 'OFFALLY', 'Office Ally', 'test', ${q(now)})`,
    `INSERT INTO provider_fees (provider_id, cpt_code, amount_cents, updated_at) VALUES ${FEE_CODES.map(
      (code, i) => `(${q(id)}, ${q(code)}, ${10_000 + i * 1_000}, ${q(now)})`,
    ).join(', ')}`,
    ...(token
      ? [
          `INSERT INTO auth_tokens (token_hash, provider_id, created_at, expires_at)
          VALUES (${q(sha256Hex(token))}, ${q(id)}, ${q(now)}, ${at(now, "'+12 hours'")})`,
        ]
      : []),
  ];
}

/** `count` clients with complete billing info (so a confirm produces a claim), ids `<prefix>_<i>`. */
export function clientsSql({ providerId, prefix, count, now }) {
  return [
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
    INSERT INTO clients (id, provider_id, first_name, last_name, email, email_lower, time_zone, status,
      legal_first_name, legal_last_name, date_of_birth, sex, phone, address_line1, address_city, address_state,
      address_postal_code, payer_id, member_id, group_number, relationship, created_at, updated_at)
    SELECT ${q(prefix)} || '_' || i, ${q(providerId)}, f, l, lower(f || '.' || l || i || '@example.com'), lower(f || '.' || l || i || '@example.com'),
      ${q(TZ)}, 'active', f, l, '1985-03-14', 'F', '212-555-0142', '120 W 86th St', 'New York', 'NY', '10024',
      'pay_aetna', 'W' || (100000000 + i), 'GRP-1', 'self', ${q(now)}, ${q(now)}
    FROM (SELECT i, ${NAMES('i % 20', FIRST)} AS f, ${NAMES('(i / 20) % 20', LAST)} AS l FROM n)`,
  ];
}

/**
 * `count` sessions of one provider, one every `everyMinutes`, the last one ending `endsAgoMinutes`
 * before now (so all in the past), `durationMinutes` long, with the given status, ids `<prefix><i>`.
 */
export function pastSessionsSql({
  providerId,
  clientPrefix,
  clients,
  prefix,
  count,
  everyMinutes,
  durationMinutes,
  endsAgoMinutes = 60,
  status,
  now,
  first = 0,
}) {
  const startMin = (i) => `-(${endsAgoMinutes + durationMinutes} + (${count - 1 + first} - ${i}) * ${everyMinutes})`;
  return `WITH RECURSIVE n(i) AS (SELECT ${first} UNION ALL SELECT i + 1 FROM n WHERE i < ${first + count - 1})
    INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, status, created_at, updated_at)
    SELECT ${q(prefix)} || i, ${q(providerId)}, ${q(clientPrefix)} || '_' || (i % ${clients}),
      ${at(now, `${startMin('i')} || ' minutes'`)}, ${at(now, `${startMin('i')} || ' minutes'`, `'+${durationMinutes} minutes'`)},
      ${durationMinutes}, 'office', ${status}, ${q(now)}, ${q(now)}
    FROM n`;
}

/**
 * The main provider's calendar: five 45-minute sessions every weekday from a year ago to eight weeks
 * ahead (≈ 1,500), the past confirmed (with confirmation and claim) or cancelled, the `backlog` most
 * recent past ones still `scheduled` (what the badge counts), the future `scheduled`.
 */
export function calendarSql({ providerId, clientPrefix, clients, now, backlog = 12 }) {
  const day0 = `date(${q(now)}, '-365 days')`;
  return [
    `WITH RECURSIVE d(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM d WHERE k < 365 + 56),
      s(h) AS (SELECT 13 UNION ALL SELECT CASE h WHEN 15 THEN 18 ELSE h + 1 END FROM s WHERE h < 19),
      slots AS (SELECT k, h, strftime('%Y-%m-%dT', ${day0}, '+' || k || ' days') || printf('%02d', h) || ':00:00.000Z' AS st
                FROM d, s WHERE strftime('%w', ${day0}, '+' || k || ' days') BETWEEN '1' AND '5')
    INSERT INTO appointments (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type, status, created_at, updated_at)
    SELECT 'apt_cal_' || k || '_' || h, ${q(providerId)}, ${q(clientPrefix)} || '_' || ((k * 5 + h) % ${clients}), st,
      strftime('%Y-%m-%dT%H:%M:%fZ', st, '+45 minutes'), 45, CASE WHEN h = 19 THEN 'telehealth' ELSE 'office' END,
      CASE WHEN strftime('%Y-%m-%dT%H:%M:%fZ', st, '+45 minutes') > ${q(now)} THEN 'scheduled'
           WHEN (k * 5 + h) % 17 = 0 THEN 'canceled' ELSE 'confirmed' END,
      ${q(now)}, ${q(now)}
    FROM slots`,
    // The backlog: the most recent past sessions are not confirmed yet.
    `UPDATE appointments SET status = 'scheduled' WHERE id IN (
       SELECT id FROM appointments WHERE provider_id = ${q(providerId)} AND status = 'confirmed' AND ends_at <= ${q(now)}
       ORDER BY ends_at DESC LIMIT ${backlog})`,
    `INSERT INTO confirmations (appointment_id, provider_id, cpt_code, add_on_codes, diagnosis_codes, progress_note,
       started_at, ended_at, patient_location, confirmed_at, updated_at)
     SELECT id, provider_id, '90834', '[]', '["F41.1"]', 'AAAA', starts_at, ends_at, 'home', ends_at, ends_at
     FROM appointments WHERE provider_id = ${q(providerId)} AND status = 'confirmed'`,
    `INSERT INTO claims (id, provider_id, appointment_id, client_id, payer_id, claim_number, status, service_date, place_of_service,
       cpt_code, modifiers, lines, diagnosis_codes, units, rendering_npi, member_id, group_number, patient, created_at, updated_at)
     SELECT 'clm_' || a.id, a.provider_id, a.id, a.client_id, 'pay_aetna', substr(a.id, 5, 20), 'paid', substr(a.starts_at, 1, 10), '11',
       '90834', '[]', '[]', '["F41.1"]', 1, '1234567893', c.member_id, c.group_number, '{}', a.ends_at, a.ends_at
     FROM appointments a JOIN clients c ON c.id = a.client_id
     WHERE a.provider_id = ${q(providerId)} AND a.status = 'confirmed'`,
  ];
}

/**
 * The whole clinic for the API benchmarks: the main provider (300 clients, its calendar, a token),
 * `others` providers around it with their own history, and `confirmProviders` providers each holding
 * `confirmPool` past unconfirmed 20-minute sessions from the last four weeks to confirm under load.
 * Returns the statements and the tokens.
 */
export function clinic({
  now,
  others = 20,
  othersSessions = 1000,
  confirmProviders = 10,
  confirmPool = 2000,
  clients = 300,
}) {
  const mainToken = newToken();
  const statements = [
    ...providerSql({ id: MAIN, email: MAIN_EMAIL, name: 'Dr. Bench Mark', now, token: mainToken }),
    ...clientsSql({ providerId: MAIN, prefix: 'cli_main', count: clients, now }),
    ...calendarSql({ providerId: MAIN, clientPrefix: 'cli_main', clients, now }),
  ];
  for (let p = 0; p < others; p++) {
    const id = `prv_other${p}`;
    statements.push(
      ...providerSql({ id, email: `other${p}@caseload.local`, name: `Dr. Other ${p}`, now }),
      ...clientsSql({ providerId: id, prefix: `cli_o${p}`, count: 50, now }),
      // A year of history, every ~8 hours, nearly all confirmed; a few still to confirm.
      pastSessionsSql({
        providerId: id,
        clientPrefix: `cli_o${p}`,
        clients: 50,
        prefix: `apt_o${p}_`,
        count: othersSessions,
        everyMinutes: 480,
        durationMinutes: 50,
        status: `CASE WHEN i >= ${othersSessions - 5} THEN 'scheduled' ELSE 'confirmed' END`,
        now,
      }),
    );
  }
  const confirmTokens = [];
  for (let p = 0; p < confirmProviders; p++) {
    const id = `prv_conf${p}`;
    const token = newToken();
    confirmTokens.push({ providerId: id, token, prefix: `apt_c${p}_`, count: confirmPool });
    statements.push(
      ...providerSql({ id, email: `conf${p}@caseload.local`, name: `Dr. Confirm ${p}`, now, token }),
      ...clientsSql({ providerId: id, prefix: `cli_c${p}`, count: 50, now }),
      // Back to back, 20 minutes each (CPT 90832), all ended within the last 28 days.
      pastSessionsSql({
        providerId: id,
        clientPrefix: `cli_c${p}`,
        clients: 50,
        prefix: `apt_c${p}_`,
        count: confirmPool,
        everyMinutes: 20,
        durationMinutes: 20,
        endsAgoMinutes: 60,
        status: "'scheduled'",
        now,
      }),
    );
  }
  return { statements, mainToken, confirmTokens };
}

/** The body that confirms a 20-minute session of the pool. */
export const CONFIRM_BODY = JSON.stringify({
  cptCode: '90832',
  diagnosisCodes: ['F41.1'],
  progressNote: 'Client reports improved sleep; practiced grounding exercises; plan to continue weekly.',
  patientLocation: 'home',
});

/** Monday 00:00 UTC of the week holding `now`, and seven days later. */
export function weekOf(now) {
  const d = new Date(now);
  const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
  return { from: monday.toISOString(), to: new Date(monday.getTime() + 7 * 86_400_000).toISOString() };
}

/** Start of the n-th free future slot for POST /v1/appointments: hourly from 400 days ahead, never overlapping. */
export const futureSlot = (base, n) => new Date(Date.parse(base) + 400 * 86_400_000 + n * 3_600_000).toISOString();
