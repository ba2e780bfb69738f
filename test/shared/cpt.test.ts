// The CPT rule table of docs/billing.md, rule by rule: every row, every add-on pairing, allowed and refused.
import { describe, expect, it } from 'vitest';
import { CPT_RULES, PRESCRIBER_ONLY_CODES, checkCpt, suggestCpt } from '../../shared/billing/cpt';

const check = (cptCode: string, minutes: number, addOnCodes: string[] = []) =>
  checkCpt({ cptCode, addOnCodes, minutes });

describe('CPT_RULES', () => {
  it('holds every row of the billing.md table, in order, with its kind and time range', () => {
    expect(CPT_RULES.map((r) => [r.code, r.kind, r.minMinutes, r.maxMinutes, r.prescriberOnly])).toEqual([
      ['90791', 'primary', 16, null, false],
      ['90792', 'primary', 16, null, true],
      ['90832', 'primary', 16, 37, false],
      ['90834', 'primary', 38, 52, false],
      ['90837', 'primary', 53, null, false],
      ['90839', 'primary', 30, 74, false],
      ['90840', 'add_on', 75, null, false],
      ['90846', 'primary', 26, null, false],
      ['90847', 'primary', 26, null, false],
      ['90853', 'primary', null, null, false],
      ['90785', 'add_on', null, null, false],
    ]);
  });

  it('records the pairings as data', () => {
    const byCode = new Map(CPT_RULES.map((r) => [r.code, r]));
    expect(byCode.get('90840')?.addOnTo).toEqual(['90839']);
    expect(byCode.get('90785')?.addOnTo).toEqual(['90791', '90792', '90832', '90834', '90837', '90853']);
    expect(byCode.get('90785')?.notWith).toEqual(['90839', '90840', '90846', '90847']);
    expect(byCode.get('90839')?.notWith).toEqual(['90785']);
    expect(CPT_RULES.filter((r) => r.onePerSession).map((r) => r.code)).toEqual(['90832', '90834', '90837']);
    for (const r of CPT_RULES) expect(r.description).not.toBe('');
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(CPT_RULES)).toBe(true);
    expect(Object.isFrozen(CPT_RULES[0])).toBe(true);
  });

  it('lists the prescriber-only codes', () => {
    expect(PRESCRIBER_ONLY_CODES).toEqual(['90792', '90833', '90836', '90838']);
  });
});

describe('suggestCpt', () => {
  it.each([
    [0, null],
    [15, null],
    [15.9, null],
    [16, '90832'],
    [30, '90832'],
    [37, '90832'],
    [37.9, '90832'],
    [38, '90834'],
    [45, '90834'],
    [52, '90834'],
    [53, '90837'],
    [60, '90837'],
    [240, '90837'],
    [-5, null],
    [Number.NaN, null],
  ])('%s minutes → %s', (minutes, expected) => {
    expect(suggestCpt(minutes)).toBe(expected);
  });
});

describe('checkCpt: each row of the table', () => {
  // [primary, add-ons, minutes, expected problems]
  it.each<[string, string[], number, { code: string; message: string }[]]>([
    // 90791 diagnostic evaluation: ≥ 16
    ['90791', [], 16, []],
    ['90791', [], 90, []],
    [
      '90791',
      [],
      15,
      [
        {
          code: '90791',
          message: 'Under 16 minutes of face-to-face time nothing is billable; this session lasted 15 minutes.',
        },
      ],
    ],
    // 90792: prescribers only, whatever the length
    [
      '90792',
      [],
      60,
      [
        {
          code: '90792',
          message:
            '90792 (diagnostic evaluation with medical services) is for prescribers only; this product does not bill prescriber codes.',
        },
      ],
    ],
    // 90832: 16–37
    ['90832', [], 16, []],
    ['90832', [], 37, []],
    [
      '90832',
      [],
      38,
      [
        {
          code: '90832',
          message: '90832 needs 16–37 minutes of face-to-face time; this session lasted 38 minutes (use 90834).',
        },
      ],
    ],
    [
      '90832',
      [],
      60,
      [
        {
          code: '90832',
          message: '90832 needs 16–37 minutes of face-to-face time; this session lasted 60 minutes (use 90837).',
        },
      ],
    ],
    // 90834: 38–52
    ['90834', [], 38, []],
    ['90834', [], 52, []],
    [
      '90834',
      [],
      30,
      [
        {
          code: '90834',
          message: '90834 needs 38–52 minutes of face-to-face time; this session lasted 30 minutes (use 90832).',
        },
      ],
    ],
    [
      '90834',
      [],
      37,
      [
        {
          code: '90834',
          message: '90834 needs 38–52 minutes of face-to-face time; this session lasted 37 minutes (use 90832).',
        },
      ],
    ],
    [
      '90834',
      [],
      53,
      [
        {
          code: '90834',
          message: '90834 needs 38–52 minutes of face-to-face time; this session lasted 53 minutes (use 90837).',
        },
      ],
    ],
    // a minute counts once it has passed: 37 min 54 s is 37 minutes
    [
      '90834',
      [],
      37.9,
      [
        {
          code: '90834',
          message: '90834 needs 38–52 minutes of face-to-face time; this session lasted 37 minutes (use 90832).',
        },
      ],
    ],
    // 90837: ≥ 53
    ['90837', [], 53, []],
    ['90837', [], 180, []],
    [
      '90837',
      [],
      52,
      [
        {
          code: '90837',
          message: '90837 needs at least 53 minutes of face-to-face time; this session lasted 52 minutes (use 90834).',
        },
      ],
    ],
    // 90839 crisis: 30–74 alone
    ['90839', [], 30, []],
    ['90839', [], 74, []],
    [
      '90839',
      [],
      29,
      [{ code: '90839', message: '90839 needs 30–74 minutes of face-to-face time; this session lasted 29 minutes.' }],
    ],
    [
      '90839',
      [],
      75,
      [
        {
          code: '90839',
          message:
            '90839 needs 30–74 minutes of face-to-face time; this session lasted 75 minutes (add 90840 for the time beyond 74 minutes).',
        },
      ],
    ],
    // 90840: only with 90839, total ≥ 75
    ['90839', ['90840'], 75, []],
    ['90839', ['90840'], 120, []],
    [
      '90839',
      ['90840'],
      74,
      [
        {
          code: '90840',
          message: '90840 needs at least 75 minutes of face-to-face time in total; this session lasted 74 minutes.',
        },
      ],
    ],
    // 90846 / 90847 family: ≥ 26
    ['90846', [], 26, []],
    [
      '90846',
      [],
      25,
      [
        {
          code: '90846',
          message: '90846 needs at least 26 minutes of face-to-face time; this session lasted 25 minutes.',
        },
      ],
    ],
    ['90847', [], 26, []],
    [
      '90847',
      [],
      25,
      [
        {
          code: '90847',
          message: '90847 needs at least 26 minutes of face-to-face time; this session lasted 25 minutes.',
        },
      ],
    ],
    // 90853 group: untimed, but under 16 minutes nothing is billable
    ['90853', [], 16, []],
    ['90853', [], 240, []],
    [
      '90853',
      [],
      15,
      [
        {
          code: '90853',
          message: 'Under 16 minutes of face-to-face time nothing is billable; this session lasted 15 minutes.',
        },
      ],
    ],
    [
      '90853',
      [],
      1,
      [
        {
          code: '90853',
          message: 'Under 16 minutes of face-to-face time nothing is billable; this session lasted 1 minute.',
        },
      ],
    ],
    // 90785 interactive complexity: an add-on, untimed
    ['90834', ['90785'], 45, []],
  ])('%s + %j, %s min', (cptCode, addOnCodes, minutes, expected) => {
    expect(checkCpt({ cptCode, addOnCodes, minutes })).toEqual(expected);
  });
});

describe('checkCpt: add-on pairings', () => {
  const never = (addOn: string, other: string) => ({
    code: addOn,
    message: `${addOn} (interactive complexity) is never billed with ${other}.`,
  });

  it.each([
    ['90791', 60],
    ['90832', 30],
    ['90834', 45],
    ['90837', 60],
    ['90853', 60],
  ])('90785 is allowed with %s', (primary, minutes) => {
    expect(check(primary, minutes, ['90785'])).toEqual([]);
  });

  it('90785 with 90792 is a permitted pairing; only the prescriber code is refused', () => {
    expect(check('90792', 60, ['90785'])).toEqual([
      {
        code: '90792',
        message:
          '90792 (diagnostic evaluation with medical services) is for prescribers only; this product does not bill prescriber codes.',
      },
    ]);
  });

  it.each([
    ['90839', 60, [never('90785', '90839')]],
    ['90846', 50, [never('90785', '90846')]],
    ['90847', 50, [never('90785', '90847')]],
  ])('90785 is refused with %s', (primary, minutes, expected) => {
    expect(check(primary, minutes, ['90785'])).toEqual(expected);
  });

  it('90785 is refused with 90839 + 90840 once, whichever order the add-ons come in', () => {
    expect(check('90839', 90, ['90840', '90785'])).toEqual([never('90785', '90839')]);
    expect(check('90839', 90, ['90785', '90840'])).toEqual([never('90785', '90839')]);
  });

  it('90785 cannot be billed on its own', () => {
    expect(check('90785', 45)).toEqual([
      {
        code: '90785',
        message: '90785 (interactive complexity) is an add-on code; it is billed with a primary code, not on its own.',
      },
    ]);
  });

  it.each(['90791', '90832', '90834', '90837', '90846', '90847', '90853'])('90840 is refused with %s', (primary) => {
    expect(check(primary, 80, ['90840'])).toContainEqual({
      code: '90840',
      message: `90840 (psychotherapy for crisis, each additional 30 minutes) is billed only with 90839, not with ${primary}.`,
    });
  });

  it('90840 cannot be billed on its own', () => {
    expect(check('90840', 90)).toEqual([
      {
        code: '90840',
        message:
          '90840 (psychotherapy for crisis, each additional 30 minutes) is an add-on code; it is billed with a primary code, not on its own.',
      },
    ]);
  });
});

describe('checkCpt: codes this product does not bill', () => {
  it.each([
    [
      '90792',
      '90792 (diagnostic evaluation with medical services) is for prescribers only; this product does not bill prescriber codes.',
    ],
    [
      '90833',
      '90833 (psychotherapy, 30 minutes, with an E/M visit) is a prescriber code; this product does not bill prescriber codes.',
    ],
    [
      '90836',
      '90836 (psychotherapy, 45 minutes, with an E/M visit) is a prescriber code; this product does not bill prescriber codes.',
    ],
    [
      '90838',
      '90838 (psychotherapy, 60 minutes, with an E/M visit) is a prescriber code; this product does not bill prescriber codes.',
    ],
  ])('refuses prescriber code %s as the primary and as an add-on', (code, message) => {
    expect(check(code, 45)).toEqual([{ code, message }]);
    expect(check('90834', 45, [code])).toEqual([{ code, message }]);
  });

  it.each([
    ['99213', '99213 is not a psychotherapy code this product bills.'],
    ['9083', '"9083" is not a CPT code; CPT codes are 5 digits.'],
    ['908341', '"908341" is not a CPT code; CPT codes are 5 digits.'],
    [' 90834', '" 90834" is not a CPT code; CPT codes are 5 digits.'],
    ['9083A', '"9083A" is not a CPT code; CPT codes are 5 digits.'],
    ['', 'A CPT code is required.'],
  ])('refuses unknown code %j', (code, message) => {
    expect(check(code, 45)).toEqual([{ code, message }]);
  });

  it('refuses an unknown add-on', () => {
    expect(check('90834', 45, ['99354'])).toEqual([
      { code: '99354', message: '99354 is not a psychotherapy code this product bills.' },
    ]);
  });

  it('refuses a session length that is not a number of minutes', () => {
    expect(check('90834', Number.NaN)).toEqual([
      { code: '90834', message: 'The session length must be a number of minutes; got NaN.' },
    ]);
    expect(check('90834', -1)).toEqual([
      { code: '90834', message: 'The session length must be a number of minutes; got -1.' },
    ]);
  });
});

describe('checkCpt: one primary per session, each add-on once', () => {
  it.each([
    ['90834', '90832', 'Only one of 90832, 90834 or 90837 may be billed per session; 90832 cannot be added to 90834.'],
    ['90834', '90837', 'Only one of 90832, 90834 or 90837 may be billed per session; 90837 cannot be added to 90834.'],
    ['90834', '90846', '90846 is a primary code, not an add-on; a session has one primary code (90834).'],
    ['90791', '90834', '90834 is a primary code, not an add-on; a session has one primary code (90791).'],
    ['90834', '90834', "90834 is already the session's primary code; it cannot also be an add-on."],
  ])('%s with %s as an add-on is refused', (primary, addOn, message) => {
    expect(check(primary, 45, [addOn])).toEqual([{ code: addOn, message }]);
  });

  it('refuses a duplicate add-on', () => {
    expect(check('90834', 45, ['90785', '90785'])).toEqual([
      { code: '90785', message: '90785 is listed more than once; list each add-on code once.' },
    ]);
    expect(check('90839', 90, ['90840', '90840'])).toEqual([
      { code: '90840', message: '90840 is listed more than once; list each add-on code once.' },
    ]);
  });

  it('reports every problem, primary first, then add-ons in order', () => {
    expect(check('90834', 30, ['90840', '90785', '90785'])).toEqual([
      {
        code: '90834',
        message: '90834 needs 38–52 minutes of face-to-face time; this session lasted 30 minutes (use 90832).',
      },
      {
        code: '90840',
        message:
          '90840 (psychotherapy for crisis, each additional 30 minutes) is billed only with 90839, not with 90834.',
      },
      { code: '90785', message: '90785 is listed more than once; list each add-on code once.' },
    ]);
  });
});
