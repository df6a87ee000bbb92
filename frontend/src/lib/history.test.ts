import { describe, expect, it } from 'vitest';
import { actorName, fieldChanges, whatHappened } from './history';

describe('the audit log as a history', () => {
  it('lists the changed columns people care about, labelled and in words, in the order of the form', () => {
    const changes = fieldChanges({
      actorKind: 'USER',
      actor: 'dana@example.com',
      action: 'updateContact',
      targetType: 'Contact',
      before: { manage_access: 'NONE', job_title: 'Engineer', postal_code: '45402', version: 3, access_role: 'USER' },
      after: { manage_access: 'UPDATE', job_title: 'Lead', postal_code: '45402', version: 4, access_role: 'SECONDARY' },
    });
    expect(changes.map((c) => [c.label, c.before, c.after])).toEqual([
      ['Job title', 'Engineer', 'Lead'],
      ['Role', 'User', 'Secondary'],
      ['Manage access', 'None', 'Update'],
    ]);
  });

  it('says who did what to whom', () => {
    const base = { actorKind: 'USER', actor: 'dana@example.com', targetType: 'Contact', targetLabel: 'Tom Okafor' };
    expect(whatHappened({ ...base, action: 'setPrivileges' })).toEqual({ subject: 'dana@example.com', text: 'changed the privileges of Tom Okafor' });
    expect(whatHappened({ ...base, action: 'firstSignIn' })).toEqual({ subject: 'Tom Okafor', text: 'signed in for the first time' });
    expect(whatHappened({ ...base, targetLabel: null, action: 'update Contact' }).text).toBe('changed a contact');
    expect(actorName({ actorKind: 'SYSTEM', actor: 'sitekeeper' })).toBe('Sitekeeper');
  });
});
