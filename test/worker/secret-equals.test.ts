// secretEquals: the runtime's constant-time comparison on SHA-256 digests, for secrets of any length.
import { describe, expect, it } from 'vitest';
import { secretEquals } from '../../worker/platform/crypto';

describe('secretEquals', () => {
  it.each([
    ['the same secret', 'test-admin-token', 'test-admin-token', true],
    ['one character off', 'test-admin-token', 'test-admin-tokeN', false],
    ['a prefix (different lengths do not throw)', 'test-admin-token', 'test-admin', false],
    ['empty against a secret', '', 'test-admin-token', false],
    ['both empty', '', '', true],
    ['non-ASCII', 'clé-ü', 'clé-ü', true],
  ])('%s', async (_name, a, b, equal) => {
    expect(await secretEquals(a, b)).toBe(equal);
    expect(await secretEquals(b, a)).toBe(equal);
  });
});
