// What the dashboard offers, computed from the viewer's own contact on a Site. It mirrors
// internal/policy (SPEC section 3) so the UI hides or disables what the server would refuse, with
// the same reasons; the server decides anyway.
import type { AccessRole, ContactStatus } from '../gql/graphql';
import { HIGHEST, LEVELS, PRIVILEGE_NAMES, rank, type Level, type PrivilegeName, type Privileges } from './privileges';

/** The viewer's ACTIVE contact on one Site. */
export interface Membership {
  contactId: string;
  role: AccessRole;
  privileges: Privileges;
}

/** Who acts on one Site: an operator, a member of the Site, both or neither. */
export interface Actor {
  isOperator: boolean;
  membership: Membership | null;
}

/** The contact acted on; `id` is null for a contact being added. */
export interface Target {
  id: string | null;
  accessRole: AccessRole;
  status?: ContactStatus;
  lastSignInAt?: string | null;
}

export type Decision = { allowed: true; reason?: undefined } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });
const allowIf = (ok: boolean, reason: string): Decision => (ok ? allow : deny(reason));

/** The viewer's ACTIVE contact on a Site, from viewer.contacts. */
export function membershipFor(
  contacts: readonly {
    id: string;
    accessRole: AccessRole;
    status: ContactStatus;
    privileges: Privileges;
    site: { number: string } | null;
  }[],
  siteNumber: string,
): Membership | null {
  const c = contacts.find((x) => x.site?.number === siteNumber && x.status === 'ACTIVE');
  return c ? { contactId: c.id, role: c.accessRole, privileges: c.privileges } : null;
}

export function isPrimary(a: Actor): boolean {
  return a.membership?.role === 'PRIMARY';
}

function own(a: Actor): Privileges | null {
  if (!a.membership) return null;
  return a.membership.role === 'PRIMARY' ? HIGHEST : a.membership.privileges;
}

function holdsAtLeast(a: Actor, privilege: PrivilegeName, level: Level): boolean {
  const p = own(a);
  return p !== null && rank(privilege, p[privilege]) >= rank(privilege, level);
}

/** Managers: the Primary contact, or an active contact with manageAccess UPDATE. */
export function isManager(a: Actor): boolean {
  return isPrimary(a) || holdsAtLeast(a, 'manageAccess', 'UPDATE');
}

function isSelf(a: Actor, t: Target): boolean {
  return t.id !== null && a.membership?.contactId === t.id;
}

/** What the viewer may do on the Site as a whole. */
export interface SiteAbilities {
  canSeeSite: boolean;
  canListContacts: boolean;
  canReadAudit: boolean;
  canViewAdministration: boolean;
  isManager: boolean;
  isPrimary: boolean;
  canMarkReviewed: Decision;
  canAddContact: Decision;
  canAssignContactTypes: Decision;
  canTransferPrimary: Decision;
  canBulkEdit: Decision;
  /** Read the Site's access reviews (the audit log's readers). */
  canReadReviews: boolean;
  /** Start, complete an access review and keep its remaining items (MANAGE_SITE). */
  canRunReview: Decision;
}

export function siteAbilities(a: Actor): SiteAbilities {
  const manager = isManager(a);
  const primary = isPrimary(a);
  const canListContacts =
    a.isOperator || primary || holdsAtLeast(a, 'manageAccess', 'VIEW') || holdsAtLeast(a, 'contactUpdates', 'VIEW');
  const editsOthers = a.isOperator || primary || holdsAtLeast(a, 'contactUpdates', 'UPDATE');
  return {
    canSeeSite: a.isOperator || a.membership !== null,
    canListContacts,
    canReadAudit: a.isOperator || primary || holdsAtLeast(a, 'manageAccess', 'VIEW'),
    canViewAdministration: a.isOperator || manager,
    isManager: manager,
    isPrimary: primary,
    canMarkReviewed: allowIf(manager, 'Only the Primary contact and contacts with Manage access: Update may mark the Site reviewed.'),
    canAddContact: allowIf(manager, 'Adding contacts needs Manage access: Update.'),
    canAssignContactTypes: allowIf(
      a.isOperator || primary || holdsAtLeast(a, 'contactUpdates', 'UPDATE'),
      'Assigning contact types needs Contact updates: Update.',
    ),
    canTransferPrimary: allowIf(primary || a.isOperator, 'Only the Primary contact may transfer the primary role.'),
    canBulkEdit: allowIf(canListContacts && editsOthers, 'Editing other contacts needs Contact updates: Update.'),
    canReadReviews: a.isOperator || primary || holdsAtLeast(a, 'manageAccess', 'VIEW'),
    canRunReview: allowIf(manager, 'Only the Primary contact and contacts with Manage access: Update run access reviews.'),
  };
}

/** Edit a contact's details (EDIT_CONTACT). */
export function canEditContact(a: Actor, t: Target): Decision {
  if (isSelf(a, t) || a.isOperator) return allow;
  if (t.accessRole === 'PRIMARY') return deny("Only the Primary contact may change the Primary contact's record.");
  return allowIf(isPrimary(a) || holdsAtLeast(a, 'contactUpdates', 'UPDATE'), 'Editing other contacts needs Contact updates: Update.');
}

/** Set a contact's privileges (SET_PRIVILEGES), before the levels are checked. */
export function canSetPrivileges(a: Actor, t: Target): Decision {
  if (t.accessRole === 'PRIMARY') return deny('The Primary contact always holds every privilege at its highest level.');
  if (isSelf(a, t)) return deny('Nobody may change their own privileges.');
  if (t.accessRole === 'SECONDARY') return allowIf(isPrimary(a), "Only the Primary contact may set a Secondary contact's privileges.");
  return allowIf(isManager(a), 'Setting privileges needs Manage access: Update.');
}

export type OfferedLevels = { [P in PrivilegeName]: Privileges[P][] };

const noLevels = (): OfferedLevels =>
  Object.fromEntries(PRIVILEGE_NAMES.map((p) => [p, []])) as unknown as OfferedLevels;

/**
 * The levels the viewer may set on the target, per privilege: every level for the Primary contact,
 * a manager's own level and below for a USER, nothing where setting privileges is refused.
 */
export function offeredLevels(a: Actor, t: Target): { decision: Decision; levels: OfferedLevels } {
  const decision = canSetPrivileges(a, t);
  if (!decision.allowed) return { decision, levels: noLevels() };
  const mine = own(a) ?? HIGHEST;
  const levels = noLevels() as Record<PrivilegeName, Level[]>;
  for (const p of PRIVILEGE_NAMES) {
    const max = rank(p, mine[p]);
    levels[p] = (LEVELS[p] as readonly Level[]).filter((l) => rank(p, l) <= max);
  }
  return { decision, levels: levels as OfferedLevels };
}

/** The roles the viewer may give a new contact (ADD_CONTACT). */
export function addableRoles(a: Actor): AccessRole[] {
  const roles: AccessRole[] = [];
  if (isManager(a)) roles.push('USER');
  if (isPrimary(a)) roles.push('SECONDARY');
  return roles;
}

/** Move a contact between SECONDARY and USER (SET_ACCESS_ROLE). */
export function canSetAccessRole(a: Actor, t: Target): Decision {
  if (t.accessRole === 'PRIMARY') return deny('The primary role moves only by a transfer.');
  if (isSelf(a, t)) return deny('Nobody may change their own role.');
  return allowIf(isPrimary(a), 'Only the Primary contact may promote or demote Secondary contacts.');
}

/** Deactivate, reactivate or remove a contact (CHANGE_CONTACT_STATUS). */
export function canChangeStatus(a: Actor, t: Target): Decision {
  if (t.accessRole === 'PRIMARY') return deny('The Primary contact must transfer the primary role first.');
  if (isSelf(a, t)) return deny('Nobody may deactivate or remove themselves.');
  if (t.accessRole === 'SECONDARY') return allowIf(isPrimary(a), 'Only the Primary contact may deactivate or remove a Secondary contact.');
  return allowIf(isManager(a), 'Deactivating and removing contacts needs Manage access: Update.');
}

/** Assign or take contact types on one contact: the Primary contact's record is the Primary contact's. */
export function canAssignContactType(a: Actor, t: Target): Decision {
  if (a.isOperator || isPrimary(a)) return allow;
  if (t.accessRole === 'PRIMARY') return deny("Only the Primary contact may change the Primary contact's record.");
  return allowIf(holdsAtLeast(a, 'contactUpdates', 'UPDATE'), 'Assigning contact types needs Contact updates: Update.');
}

/** Whether a contact may receive the primary role by a transfer. */
export function canReceivePrimary(t: Target): Decision {
  if (t.accessRole === 'PRIMARY') return deny('Already the Primary contact.');
  if (t.status !== 'ACTIVE') return deny('Only an active contact may become the Primary contact.');
  return allowIf(Boolean(t.lastSignInAt), 'The contact has never signed in.');
}

/** A decision on an access review's item; PENDING undoes one. */
export type ReviewDecisionChoice = 'PENDING' | 'KEEP' | 'DEACTIVATE' | 'REMOVE';

/**
 * Decide one review item (DECIDE_REVIEW_ITEM): the decision passes the policy of the action it
 * would apply. Keep (and undoing) is any manager's, on any item including their own; Deactivate
 * and Remove never on the Primary contact's item nor on one's own, and on a Secondary contact
 * only by the Primary contact. `t` is the contact as it is now, not the snapshot.
 */
export function canDecideReviewItem(a: Actor, t: Target, d: ReviewDecisionChoice): Decision {
  if (!isManager(a)) return deny('Deciding review items needs Manage access: Update.');
  if (d === 'KEEP' || d === 'PENDING') return allow;
  if (t.accessRole === 'PRIMARY') return deny("The Primary contact's item can only be Keep.");
  if (isSelf(a, t)) return deny('Nobody decides their own item except Keep.');
  if (t.accessRole === 'SECONDARY') return allowIf(isPrimary(a), 'Only the Primary contact may deactivate or remove a Secondary contact.');
  return allow;
}
