// The contacts table's filters: what the person chose, the where-input the API takes, and the
// URL's search parameters, so that a filtered view can be linked to, kept on Back, and handed to
// the bulk update ("all" means the contacts the table shows).
import type { AccessRole, ContactStatus, ContactType, ContactWhereInput } from '../gql/graphql';
import { LEVELS, PRIVILEGE_NAMES, levelsAtLeast, type Level, type PrivilegeName } from './privileges';

export interface ContactFilters {
  search: string;
  role: AccessRole | '';
  status: ContactStatus | '';
  contactType: ContactType | '';
  privilege: PrivilegeName | '';
  level: Level | '';
  /** Contacts nobody has seen for 90 days. */
  stale: boolean;
}

export const NO_FILTERS: ContactFilters = { search: '', role: '', status: '', contactType: '', privilege: '', level: '', stale: false };

const ROLES = ['PRIMARY', 'SECONDARY', 'USER'];
const STATUSES = ['INVITED', 'ACTIVE', 'DEACTIVATED'];
const TYPES = ['PRIMARY', 'SITE_TECHNICAL', 'ADMINISTRATIVE', 'RENEWAL', 'MEDIA_SHIPPING', 'BILLING'];

export function hasFilters(f: ContactFilters): boolean {
  return Boolean(f.search.trim() || f.role || f.status || f.contactType || (f.privilege && f.level) || f.stale);
}

/** The where input for the filters; a privilege filter means "at least this level". */
export function contactWhere(f: ContactFilters): ContactWhereInput | undefined {
  const where: Record<string, unknown> = {};
  if (f.search.trim()) where.search = f.search.trim();
  if (f.role) where.accessRole = f.role;
  if (f.status) where.status = f.status;
  if (f.contactType) where.hasContactType = f.contactType;
  if (f.privilege && f.level) {
    where[`${f.privilege}In`] = levelsAtLeast(f.privilege, f.level as never);
  }
  if (f.stale) where.stale = true;
  return Object.keys(where).length ? (where as ContactWhereInput) : undefined;
}

/** The filters as URL search parameters (only the ones set). */
export function filtersToParams(f: ContactFilters, params = new URLSearchParams()): URLSearchParams {
  const set = (k: string, v: string) => (v ? params.set(k, v) : params.delete(k));
  set('q', f.search.trim());
  set('role', f.role);
  set('status', f.status);
  set('type', f.contactType);
  set('privilege', f.privilege && f.level ? f.privilege : '');
  set('level', f.privilege && f.level ? f.level : '');
  set('stale', f.stale ? '1' : '');
  return params;
}

/** The filters in URL search parameters; anything unknown is ignored. */
export function filtersFromParams(params: URLSearchParams): ContactFilters {
  const pick = <T extends string>(v: string | null, allowed: readonly string[]) => (v && allowed.includes(v) ? (v as T) : ('' as T));
  const privilege = pick<PrivilegeName>(params.get('privilege'), PRIVILEGE_NAMES);
  return {
    search: params.get('q') ?? '',
    role: pick<AccessRole>(params.get('role'), ROLES),
    status: pick<ContactStatus>(params.get('status'), STATUSES),
    contactType: pick<ContactType>(params.get('type'), TYPES),
    privilege,
    level: privilege ? pick<Level>(params.get('level'), LEVELS[privilege] as readonly string[]) : '',
    stale: params.get('stale') === '1',
  };
}
