import { describe, expect, it } from 'vitest';
import {
  addableRoles,
  canChangeStatus,
  canDecideReviewItem,
  canEditContact,
  canReceivePrimary,
  canSetAccessRole,
  membershipFor,
  offeredLevels,
  siteAbilities,
  type Actor,
} from './permissions';
import { HIGHEST, LEVELS, NO_PRIVILEGES, PRIVILEGE_NAMES, type Privileges } from './privileges';

const member = (role: 'PRIMARY' | 'SECONDARY' | 'USER', privileges: Partial<Privileges> = {}, contactId = 'me'): Actor => ({
  isOperator: false,
  membership: { contactId, role, privileges: role === 'PRIMARY' ? HIGHEST : { ...NO_PRIVILEGES, ...privileges } },
});

const primary = member('PRIMARY');
// A SECONDARY who manages access with partial levels elsewhere.
const manager = member('SECONDARY', {
  manageAccess: 'UPDATE',
  softwareAccess: 'DOWNLOADS',
  reporting: 'VIEW',
  entitlements: 'VIEW',
  contactUpdates: 'NONE',
  accountDocuments: 'NONE',
});
const contactEditor = member('SECONDARY', { contactUpdates: 'UPDATE' });
const viewerOnly = member('USER', { manageAccess: 'VIEW' });
const plainUser = member('USER');
const operator: Actor = { isOperator: true, membership: null };
const nobody: Actor = { isOperator: false, membership: null };

const aUser = { id: 'u2', accessRole: 'USER' as const, status: 'ACTIVE' as const };
const aSecondary = { id: 's2', accessRole: 'SECONDARY' as const, status: 'ACTIVE' as const };
const thePrimary = { id: 'p1', accessRole: 'PRIMARY' as const, status: 'ACTIVE' as const };
const self = (role: 'PRIMARY' | 'SECONDARY' | 'USER') => ({ id: 'me', accessRole: role, status: 'ACTIVE' as const });

describe('levels offered by the privileges editor', () => {
  it('PRIMARY editing a USER: every level of every privilege', () => {
    const { decision, levels } = offeredLevels(primary, aUser);
    expect(decision.allowed).toBe(true);
    for (const p of PRIVILEGE_NAMES) expect(levels[p]).toEqual(LEVELS[p]);
  });

  it('a manager with partial levels editing a USER: up to their own level per privilege', () => {
    const { decision, levels } = offeredLevels(manager, aUser);
    expect(decision.allowed).toBe(true);
    expect(levels).toEqual({
      softwareAccess: ['NONE', 'DOWNLOADS'],
      reporting: ['NONE', 'VIEW'],
      entitlements: ['NONE', 'VIEW'],
      manageAccess: ['NONE', 'VIEW', 'UPDATE'],
      contactUpdates: ['NONE'],
      accountDocuments: ['NONE'],
    });
  });

  it.each([
    ['the Primary contact', primary, self('PRIMARY')],
    ['a manager', manager, self('SECONDARY')],
    ['a user', plainUser, self('USER')],
  ])('%s editing themselves: nothing', (_who, actor, target) => {
    const { decision, levels } = offeredLevels(actor, target);
    expect(decision.allowed).toBe(false);
    expect(decision.reason).toMatch(/own privileges|highest level/);
    for (const p of PRIVILEGE_NAMES) expect(levels[p]).toEqual([]);
  });

  it('a manager editing a Secondary contact: nothing, only the Primary contact may', () => {
    const { decision, levels } = offeredLevels(manager, aSecondary);
    expect(decision).toEqual({ allowed: false, reason: "Only the Primary contact may set a Secondary contact's privileges." });
    expect(levels.manageAccess).toEqual([]);
  });

  it('the Primary contact editing a Secondary contact: every level', () => {
    const { decision, levels } = offeredLevels(primary, aSecondary);
    expect(decision.allowed).toBe(true);
    expect(levels.softwareAccess).toEqual(['NONE', 'DOWNLOADS', 'DOWNLOADS_MEDIA', 'FULL']);
  });

  it.each([
    ['the Primary contact', primary],
    ['a manager', manager],
    ['a contact editor', contactEditor],
    ['an operator', operator],
  ])('%s editing the Primary contact: nothing', (_who, actor) => {
    const { decision, levels } = offeredLevels(actor, thePrimary);
    expect(decision).toEqual({ allowed: false, reason: 'The Primary contact always holds every privilege at its highest level.' });
    for (const p of PRIVILEGE_NAMES) expect(levels[p]).toEqual([]);
  });

  it('someone without manageAccess UPDATE editing a USER: nothing', () => {
    expect(offeredLevels(contactEditor, aUser).decision.allowed).toBe(false);
    expect(offeredLevels(viewerOnly, aUser).decision.allowed).toBe(false);
  });

  it('a new USER added by a manager: up to their own levels; a new SECONDARY by the Primary contact: all', () => {
    expect(offeredLevels(manager, { id: null, accessRole: 'USER' }).levels.softwareAccess).toEqual(['NONE', 'DOWNLOADS']);
    expect(offeredLevels(primary, { id: null, accessRole: 'SECONDARY' }).levels.contactUpdates).toEqual(['NONE', 'VIEW', 'UPDATE']);
  });
});

describe('what the UI offers per role', () => {
  it('the Primary contact may do everything on the Site', () => {
    const a = siteAbilities(primary);
    expect(a).toMatchObject({
      canListContacts: true,
      canReadAudit: true,
      canViewAdministration: true,
      isManager: true,
      isPrimary: true,
    });
    expect(a.canMarkReviewed.allowed && a.canAddContact.allowed && a.canAssignContactTypes.allowed && a.canTransferPrimary.allowed).toBe(true);
    expect(addableRoles(primary)).toEqual(['USER', 'SECONDARY']);
  });

  it('a manager adds Users, marks reviews, decides requests but does not transfer the primary role', () => {
    const a = siteAbilities(manager);
    expect(a.isManager).toBe(true);
    expect(a.canMarkReviewed.allowed).toBe(true);
    expect(a.canViewAdministration).toBe(true);
    expect(a.canTransferPrimary.allowed).toBe(false);
    expect(a.canAssignContactTypes.allowed).toBe(false);
    expect(addableRoles(manager)).toEqual(['USER']);
  });

  it('a contact editor lists and edits contacts and assigns types, but manages nothing', () => {
    const a = siteAbilities(contactEditor);
    expect(a.canListContacts).toBe(true);
    expect(a.canAssignContactTypes.allowed).toBe(true);
    expect(a.canBulkEdit.allowed).toBe(true);
    expect(a.isManager).toBe(false);
    expect(a.canMarkReviewed).toEqual({
      allowed: false,
      reason: 'Only the Primary contact and contacts with Manage access: Update may mark the Site reviewed.',
    });
    expect(a.canReadAudit).toBe(false);
    expect(addableRoles(contactEditor)).toEqual([]);
  });

  it('a Secondary contact with contactUpdates UPDATE gets the Primary contact record read-only with the reason', () => {
    expect(canEditContact(contactEditor, thePrimary)).toEqual({ allowed: false, reason: "Only the Primary contact may change the Primary contact's record." });
    expect(canEditContact(contactEditor, aUser).allowed).toBe(true);
    expect(canEditContact(contactEditor, aSecondary).allowed).toBe(true);
  });

  it('a user with manageAccess VIEW reads contacts and the audit log only', () => {
    const a = siteAbilities(viewerOnly);
    expect(a.canListContacts).toBe(true);
    expect(a.canReadAudit).toBe(true);
    expect(a.canViewAdministration).toBe(false);
    expect(a.canBulkEdit.allowed).toBe(false);
    expect(canEditContact(viewerOnly, aUser).allowed).toBe(false);
  });

  it('a plain user sees the Site and edits only their own record', () => {
    const a = siteAbilities(plainUser);
    expect(a.canSeeSite).toBe(true);
    expect(a.canListContacts).toBe(false);
    expect(a.canReadAudit).toBe(false);
    expect(canEditContact(plainUser, self('USER')).allowed).toBe(true);
    expect(canEditContact(plainUser, aUser).allowed).toBe(false);
  });

  it('an operator without a contact lists, reads the audit and edits any record, but does not manage', () => {
    const a = siteAbilities(operator);
    expect(a.canListContacts && a.canReadAudit && a.canViewAdministration).toBe(true);
    expect(a.isManager).toBe(false);
    expect(canEditContact(operator, thePrimary).allowed).toBe(true);
    expect(offeredLevels(operator, aUser).decision.allowed).toBe(false);
  });

  it('someone who is not a contact of the Site sees nothing', () => {
    const a = siteAbilities(nobody);
    expect(a.canSeeSite || a.canListContacts || a.canReadAudit).toBe(false);
  });

  it('role changes: the Primary contact only, never the primary role, never oneself', () => {
    expect(canSetAccessRole(primary, aUser).allowed).toBe(true);
    expect(canSetAccessRole(primary, aSecondary).allowed).toBe(true);
    expect(canSetAccessRole(primary, thePrimary).allowed).toBe(false);
    expect(canSetAccessRole(manager, aUser).reason).toBe('Only the Primary contact may promote or demote Secondary contacts.');
    expect(canSetAccessRole(manager, self('SECONDARY')).reason).toBe('Nobody may change their own role.');
  });

  it('deactivate, reactivate and remove: Users by managers, Secondaries by the Primary contact, never the Primary contact or oneself', () => {
    expect(canChangeStatus(manager, aUser).allowed).toBe(true);
    expect(canChangeStatus(manager, aSecondary).allowed).toBe(false);
    expect(canChangeStatus(primary, aSecondary).allowed).toBe(true);
    expect(canChangeStatus(primary, thePrimary).reason).toBe('The Primary contact must transfer the primary role first.');
    expect(canChangeStatus(manager, self('SECONDARY')).reason).toBe('Nobody may deactivate or remove themselves.');
    expect(canChangeStatus(contactEditor, aUser).allowed).toBe(false);
  });

  it('only an active contact who has signed in receives the primary role', () => {
    expect(canReceivePrimary({ ...aUser, lastSignInAt: '2025-01-01T00:00:00Z' }).allowed).toBe(true);
    expect(canReceivePrimary({ ...aUser, lastSignInAt: null }).allowed).toBe(false);
    expect(canReceivePrimary({ ...aUser, status: 'INVITED', lastSignInAt: '2025-01-01T00:00:00Z' }).allowed).toBe(false);
  });
});

describe('membershipFor', () => {
  const c = (number: string, status: 'ACTIVE' | 'DEACTIVATED' | 'INVITED') => ({
    id: `c-${number}-${status}`,
    accessRole: 'USER' as const,
    status,
    privileges: NO_PRIVILEGES,
    site: { number },
  });
  it('uses only an active contact on the Site', () => {
    expect(membershipFor([c('1', 'DEACTIVATED'), c('2', 'ACTIVE')], '1')).toBeNull();
    expect(membershipFor([c('1', 'ACTIVE')], '1')?.contactId).toBe('c-1-ACTIVE');
  });
});

describe('review decisions mirror DECIDE_REVIEW_ITEM', () => {
  const keepOnly = (a: Actor, t: { id: string; accessRole: 'PRIMARY' | 'SECONDARY' | 'USER' }) =>
    (['KEEP', 'DEACTIVATE', 'REMOVE'] as const).map((d) => canDecideReviewItem(a, t, d).allowed);

  it('the PRIMARY decides anything on Users and Secondaries, Keep only on her own item', () => {
    expect(keepOnly(primary, aUser)).toEqual([true, true, true]);
    expect(keepOnly(primary, aSecondary)).toEqual([true, true, true]);
    expect(keepOnly(primary, self('PRIMARY'))).toEqual([true, false, false]);
    expect(canDecideReviewItem(primary, self('PRIMARY'), 'REMOVE')).toEqual({ allowed: false, reason: "The Primary contact's item can only be Keep." });
  });

  it('a SECONDARY manager: Users yes; another Secondary and the Primary Keep only; his own item Keep only', () => {
    expect(keepOnly(manager, aUser)).toEqual([true, true, true]);
    expect(keepOnly(manager, aSecondary)).toEqual([true, false, false]);
    expect(canDecideReviewItem(manager, aSecondary, 'REMOVE').reason).toBe('Only the Primary contact may deactivate or remove a Secondary contact.');
    expect(keepOnly(manager, thePrimary)).toEqual([true, false, false]);
    expect(keepOnly(manager, self('SECONDARY'))).toEqual([true, false, false]);
    expect(canDecideReviewItem(manager, self('SECONDARY'), 'DEACTIVATE').reason).toBe('Nobody decides their own item except Keep.');
  });

  it('non-managers decide nothing, not even Keep', () => {
    for (const a of [contactEditor, viewerOnly, plainUser, operator, nobody]) {
      expect(keepOnly(a, aUser)).toEqual([false, false, false]);
    }
    expect(canDecideReviewItem(plainUser, aUser, 'KEEP').reason).toBe('Deciding review items needs Manage access: Update.');
  });

  it('review abilities: managers run reviews, the audit log readers read them', () => {
    expect(siteAbilities(manager).canRunReview.allowed).toBe(true);
    expect(siteAbilities(contactEditor).canRunReview.allowed).toBe(false);
    expect(siteAbilities(contactEditor).canReadReviews).toBe(false);
    expect(siteAbilities(viewerOnly).canReadReviews).toBe(true);
    expect(siteAbilities(operator).canReadReviews).toBe(true);
    expect(siteAbilities(operator).canRunReview.allowed).toBe(false);
  });
});
