-- Demo data for the local product (npm start). Fixed ids and INSERT OR IGNORE: re-running adds nothing.
-- Sign in as demo@caseload.local; the code arrives in the local mailbox at /dev/mail.

INSERT OR IGNORE INTO providers (id, name, email, npi, time_zone, telehealth_url, created_at, updated_at)
VALUES ('prv_demo', 'Dr. Dana Demo', 'demo@caseload.local', '1234567893', 'America/New_York',
        'https://video.example.com/dana-demo', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

INSERT OR IGNORE INTO provider_carriers (provider_id, payer_id, status, updated_at) VALUES
  ('prv_demo', 'pay_aetna', 'approved', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', 'pay_cigna', 'approved', strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', 'pay_unitedhealthcare', 'pending', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- The practice's billing profile and fee schedule, so confirming makes a claim. The tax id is sealed
-- under the local NOTES_KEY and added by `npm start` (scripts/lib/demo-tax-id.mjs): this file cannot hold it.
INSERT OR IGNORE INTO provider_billing_profiles (provider_id, billing_name, entity, taxonomy_code, group_npi,
  address_line1, address_line2, address_city, address_state, address_postal_code, phone, has_service_address,
  edi_submitter_id, edi_submitter_name, edi_receiver_id, edi_receiver_name, edi_usage, updated_at) VALUES
  ('prv_demo', 'Demo, Dana', 'person', '101YP2500X', NULL, '250 W 57th St', 'Suite 1507', 'New York', 'NY',
   '10107-1507', '212-555-0123', 0, 'DEMO001', 'Dana Demo', 'OFFALLY', 'Office Ally', 'test',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

INSERT OR IGNORE INTO provider_fees (provider_id, cpt_code, amount_cents, updated_at) VALUES
  ('prv_demo', '90791', 20000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90832', 9000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90834', 13000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90837', 17500, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90839', 19000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90840', 9000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90846', 14000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90847', 15000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90853', 6000, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('prv_demo', '90785', 2500, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Three clients with complete billing info, two invited without any.
INSERT OR IGNORE INTO clients (id, provider_id, first_name, last_name, email, email_lower, time_zone, status,
  legal_first_name, legal_last_name, date_of_birth, sex, phone, address_line1, address_line2, address_city,
  address_state, address_postal_code, payer_id, member_id, group_number, relationship,
  subscriber_first_name, subscriber_last_name, subscriber_date_of_birth, created_at, updated_at) VALUES
  ('cli_demo_maria', 'prv_demo', 'Maria', 'Alvarez', 'maria.alvarez@example.com', 'maria.alvarez@example.com', 'America/New_York', 'active',
   'Maria', 'Alvarez', '1988-04-12', 'F', '212-555-0142', '120 W 86th St', 'Apt 4B', 'New York', 'NY', '10024',
   'pay_aetna', 'W283746519', 'GRP-44102', 'self', NULL, NULL, NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('cli_demo_james', 'prv_demo', 'James', 'Okafor', 'james.okafor@example.com', 'james.okafor@example.com', 'America/New_York', 'active',
   'James', 'Okafor', '1979-09-30', 'M', '718-555-0199', '45 Court St', NULL, 'Brooklyn', 'NY', '11201',
   'pay_cigna', 'U99231877', NULL, 'self', NULL, NULL, NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('cli_demo_priya', 'prv_demo', 'Priya', 'Shah', 'priya.shah@example.com', 'priya.shah@example.com', 'America/Chicago', 'active',
   'Priya', 'Shah', '2008-02-17', 'F', '(312) 555-0107', '900 N Lake Shore Dr', NULL, 'Chicago', 'IL', '60611',
   'pay_aetna', 'W771204455', 'GRP-90210', 'child', 'Anil', 'Shah', '1975-06-03', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('cli_demo_tom', 'prv_demo', 'Tom', 'Becker', 'tom.becker@example.com', 'tom.becker@example.com', 'America/New_York', 'invited',
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('cli_demo_lena', 'prv_demo', 'Lena', 'Fischer', 'lena.fischer@example.com', 'lena.fischer@example.com', 'Europe/Berlin', 'invited',
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Sessions around the first seeding: two past ones to confirm, one upcoming.
INSERT OR IGNORE INTO appointments (id, provider_id, client_id, starts_at, ends_at, duration_minutes, location_type,
  status, created_at, updated_at) VALUES
  ('apt_demo_past1', 'prv_demo', 'cli_demo_maria', strftime('%Y-%m-%dT14:00:00.000Z', 'now', '-2 days'),
   strftime('%Y-%m-%dT14:53:00.000Z', 'now', '-2 days'), 53, 'office', 'scheduled',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('apt_demo_past2', 'prv_demo', 'cli_demo_tom', strftime('%Y-%m-%dT16:00:00.000Z', 'now', '-1 days'),
   strftime('%Y-%m-%dT16:45:00.000Z', 'now', '-1 days'), 45, 'telehealth', 'scheduled',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('apt_demo_next', 'prv_demo', 'cli_demo_james', strftime('%Y-%m-%dT15:00:00.000Z', 'now', '+2 days'),
   strftime('%Y-%m-%dT15:45:00.000Z', 'now', '+2 days'), 45, 'office', 'scheduled',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  -- The day of the first start, for Today: a video session at the next full hour (Join opens the demo
  -- room) and an office one two hours later (late in a New York evening they fall on the next day).
  ('apt_demo_today1', 'prv_demo', 'cli_demo_maria', strftime('%Y-%m-%dT%H:00:00.000Z', 'now', '+1 hour'),
   strftime('%Y-%m-%dT%H:50:00.000Z', 'now', '+1 hour'), 50, 'telehealth', 'scheduled',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('apt_demo_today2', 'prv_demo', 'cli_demo_tom', strftime('%Y-%m-%dT%H:00:00.000Z', 'now', '+3 hours'),
   strftime('%Y-%m-%dT%H:45:00.000Z', 'now', '+3 hours'), 45, 'office', 'scheduled',
   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
