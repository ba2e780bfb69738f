// NPI check digit (docs/billing.md: 10 digits, Luhn over "80840" + the first 9 digits).
import { describe, expect, it } from 'vitest';
import { isValidNpi } from '../../shared/npi';

// 1234567893 is CMS's worked example of the check digit; the others were checked with a separate
// Luhn implementation (Python) before being written here.
const VALID = ['1234567893', '1245319599', '1679576722', '1003000126', '1467560003', '1306849450', '1992999874'];

describe('isValidNpi', () => {
  it.each(VALID)('accepts %s', (npi) => {
    expect(isValidNpi(npi)).toBe(true);
  });

  it.each([
    ['1234567890', 'wrong check digit'],
    ['1234567894', 'check digit off by one'],
    ['1518060555', 'wrong check digit'],
    ['123456789', '9 digits'],
    ['12345678930', '11 digits'],
    ['123456789O', 'a letter O for a zero'],
    [' 1234567893', 'leading space'],
    ['1234567893 ', 'trailing space'],
    ['123-456-7893', 'dashes'],
    ['', 'empty'],
    ['１２３４５６７８９３', 'full-width digits'],
  ])('refuses %j (%s)', (npi) => {
    expect(isValidNpi(npi)).toBe(false);
  });

  it('catches every single-digit typo of a valid NPI', () => {
    for (const npi of VALID) {
      for (let i = 0; i < 10; i++) {
        for (let d = 0; d <= 9; d++) {
          const typo = npi.slice(0, i) + String(d) + npi.slice(i + 1);
          if (typo !== npi) expect(isValidNpi(typo), typo).toBe(false);
        }
      }
    }
  });

  it('catches swapped neighbouring digits (except 0 and 9, which Luhn cannot tell apart)', () => {
    for (const npi of VALID) {
      for (let i = 0; i < 9; i++) {
        const a = npi[i] ?? '';
        const b = npi[i + 1] ?? '';
        if (a === b || a + b === '09' || a + b === '90') continue;
        const swapped = npi.slice(0, i) + b + a + npi.slice(i + 2);
        expect(isValidNpi(swapped), swapped).toBe(false);
      }
    }
  });
});
