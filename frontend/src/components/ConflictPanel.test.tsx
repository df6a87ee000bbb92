import { describe, expect, it } from 'vitest';
import { NO_PRIVILEGES } from '../lib/privileges';
import { asSentence } from '../lib/format';
import { EMPTY_CONTACT } from '../lib/validation';
import { conflictRows, keepMine, type ConflictSnapshot } from './ConflictPanel';

// B opened the contact at base, changed the job title and Reporting; A meanwhile saved a new
// phone and Account documents.
const base = { ...EMPTY_CONTACT, firstName: 'Aisha', phone: '+1 937 555 0134', jobTitle: 'Logistics Coordinator' };
const snapshot: ConflictSnapshot = {
  message: 'the contact was changed by someone else (now at version 2); reload and try again',
  base,
  basePrivileges: NO_PRIVILEGES,
  mine: { ...base, jobTitle: 'Shipping Coordinator' },
  minePrivileges: { ...NO_PRIVILEGES, reporting: 'VIEW' },
  theirs: { ...base, jobTitle: 'Logistics Lead', phone: '+1 937 555 0135' },
  theirPrivileges: { ...NO_PRIVILEGES, accountDocuments: 'VIEW' },
  theirVersion: 2,
};

describe('conflictRows', () => {
  it('lists the differing fields and tells which ones this person changed', () => {
    expect(conflictRows(snapshot)).toEqual([
      { label: 'Phone', mine: '+1 937 555 0134', theirs: '+1 937 555 0135', changedByMe: false },
      { label: 'Job title', mine: 'Shipping Coordinator', theirs: 'Logistics Lead', changedByMe: true },
      { label: 'Reporting', mine: 'View', theirs: 'None', changedByMe: true },
      { label: 'Account documents', mine: 'None', theirs: 'View', changedByMe: false },
    ]);
  });
});

describe('keepMine', () => {
  it('keeps what this person changed and takes the newer values for the rest', () => {
    const kept = keepMine(snapshot);
    expect(kept.fields).toEqual({ ...base, jobTitle: 'Shipping Coordinator', phone: '+1 937 555 0135' });
    expect(kept.privileges).toEqual({ ...NO_PRIVILEGES, reporting: 'VIEW', accountDocuments: 'VIEW' });
  });
});

describe('asSentence', () => {
  it('capitalises and closes a message', () => {
    expect(asSentence(snapshot.message)).toBe('The contact was changed by someone else (now at version 2); reload and try again.');
    expect(asSentence('Already a sentence.')).toBe('Already a sentence.');
    expect(asSentence('')).toBe('');
  });
});
