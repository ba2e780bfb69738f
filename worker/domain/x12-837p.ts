// The 837P file (ASC X12 005010X222A1): claims as a clearinghouse accepts them. A pure function of
// the export's data — no clock, no randomness — so a file is the same bytes on every download.
// The mapping, segment by segment, is docs/billing.md's "The 837P file" table; the independent
// validator (tools/x12valid, pyx12) judges the structure, test/worker/x12-837p.test.ts the sense.

export interface X12Address {
  line1: string;
  line2?: string | null;
  city: string;
  /** Two-letter US state. */
  state: string;
  /** `12345` or `12345-6789` (the billing provider's must be ZIP+4). */
  postalCode: string;
}

export interface X12Person {
  firstName: string;
  lastName: string;
}

export type X12Sex = 'F' | 'M' | 'X';

export interface X12Line {
  cptCode: string;
  modifiers: string[];
  units: number;
  /** The charge of the whole line (fee × units), in cents. */
  amountCents: number;
  /** 1-based positions in the claim's diagnosis codes, at most 4. */
  diagnosisPointers: number[];
  /** YYYY-MM-DD, the session's date in the provider's time zone. */
  serviceDate: string;
}

export interface X12Claim {
  /** CLM01, the patient control number: ≤ 20 characters, unique per provider. */
  claimNumber: string;
  frequency: 'original' | 'replacement' | 'void';
  /** The payer's claim number of the claim a replacement or void supersedes (REF*F8), when recorded. */
  payerClaimNumber: string | null;
  placeOfService: string;
  /** ICD-10-CM codes, primary first (dotted or not), 1–12. */
  diagnosisCodes: string[];
  payer: { name: string; payerCode: string };
  /** The policy holder. For a client who is the subscriber, their own demographics. */
  subscriber: X12Person & { memberId: string; groupNumber: string | null; dateOfBirth: string; sex: X12Sex | null };
  /** The client when they are not the subscriber; null when they are (relationship self). */
  patient: null | (X12Person & { relationship: 'spouse' | 'child' | 'other'; dateOfBirth: string; sex: X12Sex });
  /** The client's address (the subscriber's when self, the patient's otherwise). */
  address: X12Address;
  /** Present only when the billing provider is an organization: the therapist who saw the client. */
  renderingProvider: null | (X12Person & { npi: string; taxonomyCode: string });
  /** Present only for office sessions whose office is not the billing address. */
  serviceFacility: null | { name: string; address: X12Address };
  lines: X12Line[];
}

export interface X12Export {
  /** ISA13 / the export's interchange control number, 1 – 999,999,999, growing per provider. */
  controlNumber: number;
  /** The export's id (BHT03). */
  exportId: string;
  /** The export's creation instant (ISO, UTC): ISA/GS/BHT date and time. */
  createdAt: string;
  usage: 'test' | 'production';
  submitter: { id: string; name: string; contactName: string; phone: string };
  receiver: { id: string; name: string };
  billingProvider: {
    entity: 'person' | 'organization';
    /** The legal name on the tax id; a person's "Last, First" is split. */
    name: string;
    /** The individual NPI for a person, the group NPI for an organization. */
    npi: string;
    taxonomyCode: string;
    taxId: { type: 'EIN' | 'SSN'; value: string };
    address: X12Address;
  };
  claims: X12Claim[];
}

const SEGMENT = '~';
const ELEMENT = '*';
const COMPONENT = ':';
const REPETITION = '^';

/**
 * A value as X12 may carry it: upper case, letters without their accents, and no delimiter or
 * character outside X12's extended set inside (each becomes a space); runs of spaces collapse.
 */
export function x12Text(value: string, maxLength?: number): string {
  const plain = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9 !"&'()+,\-./;?=%@[\]_{}\\|<>#$]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return maxLength === undefined ? plain : plain.slice(0, maxLength).trim();
}

const digits = (value: string) => value.replace(/\D/g, '');

/** Dollars with up to two decimals, no trailing zeros: 15000 → "150", 16250 → "162.5". */
export function x12Amount(cents: number): string {
  const whole = Math.floor(cents / 100);
  const rest = cents % 100;
  if (rest === 0) return String(whole);
  return `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

const ccyymmdd = (isoDate: string) => isoDate.slice(0, 10).replace(/-/g, '');

/** "Last, First" → last and first; a name without a comma is all last name. */
export function splitLegalName(name: string): X12Person {
  const comma = name.indexOf(',');
  if (comma < 0) return { lastName: name, firstName: '' };
  return { lastName: name.slice(0, comma), firstName: name.slice(comma + 1) };
}

const SEX: Record<X12Sex, string> = { F: 'F', M: 'M', X: 'U' };
const RELATIONSHIP = { spouse: '01', child: '19', other: 'G8' } as const;
const FREQUENCY = { original: '1', replacement: '7', void: '8' } as const;

/** Writes one interchange holding every claim of the export. */
export function write837P(file: X12Export): string {
  if (file.claims.length === 0) throw new Error('An 837P file needs at least one claim.');
  const segments: string[][] = [];
  const add = (...elements: (string | number)[]) => segments.push(elements.map(String));

  const created = new Date(file.createdAt);
  const isoDay = created.toISOString();
  const date8 = ccyymmdd(isoDay);
  const time4 = isoDay.slice(11, 16).replace(':', '');
  const icn = String(file.controlNumber).padStart(9, '0');
  const submitterId = x12Text(file.submitter.id, 15);
  const receiverId = x12Text(file.receiver.id, 15);

  const address = (a: X12Address) => {
    if (a.line2 && x12Text(a.line2)) add('N3', x12Text(a.line1, 55), x12Text(a.line2, 55));
    else add('N3', x12Text(a.line1, 55));
    add('N4', x12Text(a.city, 30), x12Text(a.state, 2), digits(a.postalCode));
  };
  const person = (qualifier: string, p: X12Person, idQualifier?: string, id?: string) => {
    const name = [qualifier, '1', x12Text(p.lastName, 60), x12Text(p.firstName, 35)];
    if (idQualifier && id) name.push('', '', '', idQualifier, x12Text(id, 80));
    add('NM1', ...name);
  };

  // Envelope and header.
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    'ZZ',
    submitterId.padEnd(15),
    'ZZ',
    receiverId.padEnd(15),
    date8.slice(2),
    time4,
    REPETITION,
    '00501',
    icn,
    '0',
    file.usage === 'production' ? 'P' : 'T',
    COMPONENT,
  ];
  add('GS', 'HC', submitterId, receiverId, date8, time4, file.controlNumber, 'X', '005010X222A1');
  const stIndex = segments.length;
  add('ST', '837', '0001', '005010X222A1');
  add('BHT', '0019', '00', x12Text(file.exportId, 50), date8, time4, 'CH');

  // 1000A submitter, 1000B receiver.
  add('NM1', '41', '2', x12Text(file.submitter.name, 60), '', '', '', '', '46', submitterId);
  add('PER', 'IC', x12Text(file.submitter.contactName, 60), 'TE', digits(file.submitter.phone));
  add('NM1', '40', '2', x12Text(file.receiver.name, 60), '', '', '', '', '46', receiverId);

  // 2000A / 2010AA billing provider: one level for every claim in the file.
  const bp = file.billingProvider;
  add('HL', '1', '', '20', '1');
  add('PRV', 'BI', 'PXC', bp.taxonomyCode);
  if (bp.entity === 'person') person('85', splitLegalName(bp.name), 'XX', bp.npi);
  else add('NM1', '85', '2', x12Text(bp.name, 60), '', '', '', '', 'XX', bp.npi);
  address(bp.address);
  add('REF', bp.taxId.type === 'EIN' ? 'EI' : 'SY', digits(bp.taxId.value));

  let hl = 1;
  for (const claim of file.claims) {
    // 2000B subscriber.
    const subscriberHl = ++hl;
    const self = claim.patient === null;
    add('HL', subscriberHl, '1', '22', self ? '0' : '1');
    const group = claim.subscriber.groupNumber ? x12Text(claim.subscriber.groupNumber, 50) : '';
    add('SBR', 'P', self ? '18' : '', group, '', '', '', '', '', 'CI');
    person('IL', claim.subscriber, 'MI', claim.subscriber.memberId);
    if (self) {
      address(claim.address);
      add('DMG', 'D8', ccyymmdd(claim.subscriber.dateOfBirth), SEX[claim.subscriber.sex ?? 'X']);
    }
    add('NM1', 'PR', '2', x12Text(claim.payer.name, 60), '', '', '', '', 'PI', x12Text(claim.payer.payerCode, 80));

    // 2000C / 2010CA patient, when the client is not the subscriber.
    if (claim.patient) {
      add('HL', ++hl, subscriberHl, '23', '0');
      add('PAT', RELATIONSHIP[claim.patient.relationship]);
      person('QC', claim.patient);
      address(claim.address);
      add('DMG', 'D8', ccyymmdd(claim.patient.dateOfBirth), SEX[claim.patient.sex]);
    }

    // 2300 claim.
    const total = claim.lines.reduce((sum, line) => sum + line.amountCents, 0);
    add(
      'CLM',
      x12Text(claim.claimNumber, 38),
      x12Amount(total),
      '',
      '',
      [claim.placeOfService, 'B', FREQUENCY[claim.frequency]].join(COMPONENT),
      'Y',
      'A',
      'Y',
      'Y',
    );
    if (claim.frequency !== 'original' && claim.payerClaimNumber) add('REF', 'F8', x12Text(claim.payerClaimNumber, 50));
    add(
      'HI',
      ...claim.diagnosisCodes.map((code, i) =>
        [i === 0 ? 'ABK' : 'ABF', code.replace('.', '').toUpperCase()].join(COMPONENT),
      ),
    );

    // 2310B rendering provider (organizations), 2310C service facility (another office).
    if (claim.renderingProvider) {
      person('82', claim.renderingProvider, 'XX', claim.renderingProvider.npi);
      add('PRV', 'PE', 'PXC', claim.renderingProvider.taxonomyCode);
    }
    if (claim.serviceFacility) {
      add('NM1', '77', '2', x12Text(claim.serviceFacility.name, 60));
      address(claim.serviceFacility.address);
    }

    // 2400 service lines.
    claim.lines.forEach((line, i) => {
      add('LX', i + 1);
      add(
        'SV1',
        ['HC', line.cptCode, ...line.modifiers].join(COMPONENT),
        x12Amount(line.amountCents),
        'UN',
        line.units,
        '',
        '',
        line.diagnosisPointers.join(COMPONENT),
      );
      add('DTP', '472', 'D8', ccyymmdd(line.serviceDate));
    });
  }

  add('SE', segments.length - stIndex + 1, '0001');
  add('GE', '1', file.controlNumber);
  add('IEA', '1', icn);

  // Empty trailing elements are dropped (X12 does not end a segment with a separator).
  const body = segments.map((s) => {
    let end = s.length;
    while (end > 1 && s[end - 1] === '') end--;
    return s.slice(0, end).join(ELEMENT) + SEGMENT;
  });
  return `${isa.join(ELEMENT)}${SEGMENT}\n${body.join('\n')}\n`;
}
