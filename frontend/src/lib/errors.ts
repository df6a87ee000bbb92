// The server's error codes (SPEC section 4, extensions.code) read from an urql CombinedError.
import type { CombinedError } from 'urql';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Level, type PrivilegeName } from './privileges';
import { CONTACT_FIELD_LABELS } from './fields';

export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'INTERNAL' | 'NETWORK';

export interface ApiError {
  code: ErrorCode | string;
  message: string;
  /** BAD_USER_INPUT: the offending input fields, e.g. "phone" or "details.city". */
  fields: string[];
  /** Bulk refusals: the refused records. */
  ids: string[];
}

/** The API's errors, their messages in the dashboard's words (see inOurWords). */
export function apiErrors(error: CombinedError | undefined | null): ApiError[] {
  if (!error) return [];
  if (error.networkError && error.graphQLErrors.length === 0) {
    return [{ code: 'NETWORK', message: 'The server could not be reached. Check your connection and try again.', fields: [], ids: [] }];
  }
  return error.graphQLErrors.map((e) => {
    const ext = (e.extensions ?? {}) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    return {
      code: typeof ext.code === 'string' ? ext.code : 'INTERNAL',
      message: inOurWords(e.message),
      fields: list(ext.fields),
      ids: list(ext.ids),
    };
  });
}

/** Input fields and privileges as the dashboard labels them. */
export const FIELD_LABELS: Record<string, string> = {
  ...CONTACT_FIELD_LABELS,
  ...PRIVILEGE_LABELS,
  justification: 'Justification',
  reason: 'Reason',
  number: 'Site number',
  name: 'Name',
  customerNumber: 'Customer number',
  expiresAt: 'Access ends on',
  invitationDays: 'Invitation lasts (days)',
};

const WORDS: [RegExp, string][] = [
  [/\bthe PRIMARY's\b/g, "the Primary contact's"],
  [/\bthe PRIMARY(?! contact)\b/g, 'the Primary contact'],
  [/\ba SECONDARY(?! contact)\b/g, 'a Secondary contact'],
  [/\bSECONDARY contacts\b/g, 'Secondary contacts'],
  [/\bPRIMARY\b/g, 'Primary'],
  [/\bSECONDARY\b/g, 'Secondary'],
  [/\bUSER\b/g, 'User'],
];

// "manageAccess UPDATE" (any privilege, any level, DOWNLOADS_MEDIA before DOWNLOADS).
const PRIVILEGE_AT_LEVEL = new RegExp(
  `\\b(${PRIVILEGE_NAMES.join('|')}) (${Object.keys(LEVEL_LABELS).sort((a, b) => b.length - a.length).join('|')})\\b`,
  'g',
);

/**
 * A server message in the dashboard's words, as one sentence: roles and statuses as the
 * dashboard writes them ("the Primary contact", "active"), privileges as labelled ("Manage
 * access: Update"), a leading field name as its label ("Postal code is too long."), a capital
 * first letter and a full stop.
 */
export function inOurWords(message: string): string {
  // Versions are for API clients; people see what changed instead.
  let m = message.replace(/\s*\(now at version \d+\)/, '').trim();
  if (!m) return m;
  m = m.replace(PRIVILEGE_AT_LEVEL, (_, p: PrivilegeName, l: Level) => `${PRIVILEGE_LABELS[p]}: ${LEVEL_LABELS[l]}`);
  for (const [re, to] of WORDS) m = m.replace(re, to);
  m = m.replace(/\b(ACTIVE|INVITED|DEACTIVATED|PENDING)\b/g, (w) => w.toLowerCase());
  const lead = /^([a-z][A-Za-z.]*)( |:)/.exec(m);
  if (lead) {
    const field = lead[1].split('.').pop() ?? '';
    if (FIELD_LABELS[field]) m = FIELD_LABELS[field] + m.slice(lead[1].length);
  }
  m = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

export function firstError(error: CombinedError | undefined | null): ApiError | null {
  return apiErrors(error)[0] ?? null;
}

export function hasCode(error: CombinedError | undefined | null, code: ErrorCode): boolean {
  return apiErrors(error).some((e) => e.code === code);
}

/** A sentence for a person, by code. */
export function describeError(e: ApiError): string {
  switch (e.code) {
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Sign in again.';
    case 'FORBIDDEN':
      return e.message;
    case 'NOT_FOUND':
      return 'Not found, or not visible to you.';
    case 'CONFLICT':
      return e.message;
    case 'BAD_USER_INPUT': {
      // The fields show their own messages; the summary names them once.
      const labels = [...new Set(e.fields.map((f) => FIELD_LABELS[f.split('.').pop() ?? ''] ?? ''))].filter(Boolean);
      return labels.length ? `Check ${labels.length === 1 ? 'this field' : 'these fields'}: ${labels.join(', ')}.` : e.message;
    }
    case 'NETWORK':
      return e.message;
    default:
      return e.message || 'Something went wrong.';
  }
}

/** Dispatched when any request answers UNAUTHENTICATED; the app then shows the sign-in page. */
export const UNAUTHENTICATED_EVENT = 'sitekeeper:unauthenticated';
