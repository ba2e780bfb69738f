// Which roster client a selection names.
import { describe, expect, it } from 'vitest';
import { matchClient } from '../../extension/background/match-client';
import { client } from './helpers';

const roster = [
  client({ id: 'cli_jane', firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' }),
  client({ id: 'cli_john', firstName: 'John', lastName: 'Doe', email: 'jd@example.org' }),
  client({ id: 'cli_ines', firstName: 'Inès', lastName: 'Moreau', email: 'ines@example.fr' }),
];

describe('matchClient', () => {
  it('an email address on the roster wins', () => {
    expect(matchClient('From: JD@Example.org — can we do Tuesday?', roster)?.id).toBe('cli_john');
  });
  it('a full name', () => {
    expect(matchClient('Hi, this is Jane Doe, is Tuesday ok?', roster)?.id).toBe('cli_jane');
  });
  it('a first name only one client has, accents ignored', () => {
    expect(matchClient('ines asked for Thursday', roster)?.id).toBe('cli_ines');
  });
  it('an ambiguous name picks no one', () => {
    expect(matchClient('The Doe family wants Monday', roster)).toBeNull();
  });
  it('no name, no client', () => {
    expect(matchClient('Tuesday at 3pm?', roster)).toBeNull();
  });
});
