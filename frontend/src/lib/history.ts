// The audit log as a history people read: who did what to whom, with field labels and values in
// the dashboard's words, not column names and codes.
import { formatPhone } from './contactinfo';
import { CONTACT_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS, formatDateTime } from './format';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Level } from './privileges';
import { CONTACT_FIELD_LABELS } from './fields';

export interface HistoryEvent {
  actorKind: string;
  actor: string;
  action: string;
  targetType: string;
  targetLabel?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** The actions a person can filter by, with what the log says for them. */
export const ACTION_LABELS: Record<string, string> = {
  createSite: 'Site created',
  addContact: 'Contact invited',
  firstSignIn: 'First sign-in',
  updateContact: 'Details changed',
  updateContacts: 'Bulk update',
  reissueInvitation: 'Invitation sent to a new email',
  refreshEmailAtSignIn: 'Email updated at sign-in',
  setPrivileges: 'Privileges changed',
  setAccessRole: 'Role changed',
  assignContactType: 'Contact type assigned',
  deactivateContact: 'Contact deactivated',
  reactivateContact: 'Contact reactivated',
  resendInvitation: 'Invitation sent again',
  revokeInvitation: 'Invitation withdrawn',
  removeContact: 'Contact removed',
  transferPrimary: 'Primary role transferred',
  reassignPrimary: 'Primary role reassigned (break-glass)',
  markSiteReviewed: 'Site reviewed',
  requestAccess: 'Access requested',
  decideAccessRequest: 'Access request decided',
  grantPartnerAccess: 'Partner access granted',
  revokePartnerAccess: 'Partner access revoked',
  read: 'Read by a partner',
  seedDemoData: 'Demo data added',
};

/** Who acted, as people say it. */
export function actorName(e: Pick<HistoryEvent, 'actorKind' | 'actor'>): string {
  switch (e.actorKind) {
    case 'SYSTEM':
      return 'Sitekeeper';
    case 'PARTNER':
      return `${e.actor} (partner)`;
    case 'OPERATOR':
      return `${e.actor} (operator)`;
  }
  return e.actor;
}

function targetName(e: HistoryEvent): string {
  if (e.targetLabel) return e.targetLabel;
  return e.targetType === 'Site' ? 'the Site' : `a ${e.targetType === 'PartnerGrant' ? 'partner grant' : e.targetType.toLowerCase()}`;
}

/** What happened, as a sentence without its subject where the actor did it ("invited Ann Lee"). */
export function whatHappened(e: HistoryEvent): { subject: string; text: string } {
  const who = actorName(e);
  const t = targetName(e);
  const done = (text: string) => ({ subject: who, text });
  switch (e.action) {
    case 'firstSignIn':
      return { subject: t, text: 'signed in for the first time' };
    case 'refreshEmailAtSignIn':
      return { subject: t, text: 'signed in with a new email, which replaced the one on record' };
    case 'read':
      return done("read the Site's contact roles");
    case 'seedDemoData':
      return done(e.targetType === 'Site' ? 'added the demo Site' : `added ${t} with the demo data`);
    case 'createSite':
      return done(e.targetType === 'Site' ? 'created the Site' : `added ${t} as the Primary contact`);
    case 'addContact':
      return done(`invited ${t}`);
    case 'updateContact':
      return done(`changed the details of ${t}`);
    case 'updateContacts':
      return done(`changed ${t} in a bulk update`);
    case 'reissueInvitation':
      return done(`sent a new invitation for ${t} to another email`);
    case 'setPrivileges':
      return done(`changed the privileges of ${t}`);
    case 'setAccessRole':
      return done(`changed the role of ${t}`);
    case 'assignContactType':
      return done(`changed the contact types of ${t}`);
    case 'deactivateContact':
      return done(`deactivated ${t}`);
    case 'reactivateContact':
      return done(`reactivated ${t}`);
    case 'resendInvitation':
      return done(`sent the invitation of ${t} again`);
    case 'revokeInvitation':
      return done(`withdrew the invitation of ${t}`);
    case 'removeContact':
      return done(`removed ${t}`);
    case 'transferPrimary':
      return done(`moved the primary role, changing ${t}`);
    case 'reassignPrimary':
      return done(`reassigned the primary role, changing ${t}`);
    case 'markSiteReviewed':
      return done('marked the Site reviewed');
    case 'requestAccess':
      return done('asked for access to the Site');
    case 'decideAccessRequest':
      return done(`decided the access request of ${t}`);
    case 'grantPartnerAccess':
      return done(`gave ${t} access to the contact roles`);
    case 'revokePartnerAccess':
      return done(`revoked the access of ${t}`);
  }
  // A change outside the API's operations (seeding, jobs): "update Contact" and the like.
  const [op] = e.action.split(' ');
  const verb = op === 'create' ? 'added' : op === 'delete' ? 'removed' : 'changed';
  return done(`${verb} ${t}`);
}

/** The audit log's column for an API field name: firstName → first_name. */
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const byColumn = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([f, l]) => [column(f), l]));

/** Field labels by column, in the order changes are listed. Columns not here are bookkeeping and not shown. */
const COLUMN_LABELS: Record<string, string> = {
  ...byColumn(CONTACT_FIELD_LABELS),
  access_role: 'Role',
  status: 'Status',
  contact_types: 'Contact types',
  ...byColumn(PRIVILEGE_LABELS),
  invited_by: 'Invited by',
  invitation_expires_at: 'Invitation expires',
  name: 'Name',
  number: 'Number',
  customer_number: 'Customer number',
  program: 'Program',
  review_interval_days: 'Review every (days)',
  last_reviewed_at: 'Last reviewed',
  last_reviewed_by: 'Last reviewed by',
  review_due_at: 'Review due',
  justification: 'Justification',
  decided_at: 'Decided',
  decided_by: 'Decided by',
  reason: 'Reason',
  expires_at: 'Expires',
  revoked_at: 'Revoked',
  revoked_by: 'Revoked by',
  granted_by: 'Granted by',
  site_number: 'Site number',
  operation: 'Query',
};

const LEVEL_FIELDS = PRIVILEGE_NAMES.map(column);
const TIME_FIELDS = ['invitation_expires_at', 'last_reviewed_at', 'review_due_at', 'decided_at', 'expires_at', 'revoked_at'];

/** One value in the dashboard's words. */
export function fieldValue(field: string, v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (field === 'access_role') return ROLE_LABELS[String(v)] ?? String(v);
  if (field === 'status') return STATUS_LABELS[String(v)] ?? capitalize(String(v));
  if (LEVEL_FIELDS.includes(field)) return LEVEL_LABELS[v as Level] ?? String(v);
  if (field === 'contact_types') return Array.isArray(v) && v.length ? v.map((t) => CONTACT_TYPE_LABELS[t] ?? t).join(', ') : 'none';
  if (TIME_FIELDS.includes(field)) return formatDateTime(String(v));
  if (field === 'phone') return formatPhone(String(v));
  if (field === 'program') return capitalize(String(v));
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function capitalize(s: string): string {
  return s.charAt(0) + s.slice(1).toLowerCase();
}

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

/** The changed fields people care about, labelled, in the order of the labels. */
export function fieldChanges(e: HistoryEvent): FieldChange[] {
  const before = e.before ?? {};
  const after = e.after ?? {};
  return Object.keys(COLUMN_LABELS)
    .filter((f) => f in before || f in after)
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((f) => ({ field: f, label: COLUMN_LABELS[f], before: fieldValue(f, before[f]), after: fieldValue(f, after[f]) }));
}
