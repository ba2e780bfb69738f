// National Provider Identifier check, so a mistyped NPI is caught before it reaches a claim.

// CMS's NPI check digit is the Luhn check digit of the first 9 digits prefixed with 80840, the
// card-issuer prefix for US health applications (CMS, "Requirements for NPI check digit"; billing.md).
const PREFIX = '80840';

/** True for exactly 10 ASCII digits whose 10th is the Luhn check digit of "80840" + the first 9. */
export function isValidNpi(npi: string): boolean {
  if (!/^[0-9]{10}$/.test(npi)) return false;
  const digits = PREFIX + npi;
  let sum = 0;
  // Luhn: from the rightmost digit (the check digit) leftwards, every second digit is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
