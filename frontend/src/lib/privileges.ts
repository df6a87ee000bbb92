// The six privileges and their levels, in the order the vendor portal lists them (SPEC section 2).
import type { SoftwareAccessLevel, UpdateLevel, ViewLevel } from '../gql/graphql';

export type Privileges = {
  softwareAccess: SoftwareAccessLevel;
  reporting: ViewLevel;
  entitlements: UpdateLevel;
  manageAccess: UpdateLevel;
  contactUpdates: UpdateLevel;
  accountDocuments: ViewLevel;
};

export type PrivilegeName = keyof Privileges;
export type Level = Privileges[PrivilegeName];
export type PrivilegesPatch = Partial<Privileges>;

export const PRIVILEGE_NAMES: readonly PrivilegeName[] = [
  'softwareAccess',
  'reporting',
  'entitlements',
  'manageAccess',
  'contactUpdates',
  'accountDocuments',
];

const softwareLevels: readonly SoftwareAccessLevel[] = ['NONE', 'DOWNLOADS', 'DOWNLOADS_MEDIA', 'FULL'];
const viewLevels: readonly ViewLevel[] = ['NONE', 'VIEW'];
const updateLevels: readonly UpdateLevel[] = ['NONE', 'VIEW', 'UPDATE'];

/** The levels of each privilege, lowest first. */
export const LEVELS: { readonly [P in PrivilegeName]: readonly Privileges[P][] } = {
  softwareAccess: softwareLevels,
  reporting: viewLevels,
  entitlements: updateLevels,
  manageAccess: updateLevels,
  contactUpdates: updateLevels,
  accountDocuments: viewLevels,
};

export const PRIVILEGE_LABELS: Record<PrivilegeName, string> = {
  softwareAccess: 'Software access',
  reporting: 'Reporting',
  entitlements: 'Entitlements',
  manageAccess: 'Manage access',
  contactUpdates: 'Contact updates',
  accountDocuments: 'Account documents',
};

export const LEVEL_LABELS: Record<Level, string> = {
  NONE: 'None',
  VIEW: 'View',
  UPDATE: 'Update',
  DOWNLOADS: 'Downloads',
  DOWNLOADS_MEDIA: 'Downloads and media',
  FULL: 'Full',
};

export const HIGHEST: Privileges = {
  softwareAccess: 'FULL',
  reporting: 'VIEW',
  entitlements: 'UPDATE',
  manageAccess: 'UPDATE',
  contactUpdates: 'UPDATE',
  accountDocuments: 'VIEW',
};

export const NO_PRIVILEGES: Privileges = {
  softwareAccess: 'NONE',
  reporting: 'NONE',
  entitlements: 'NONE',
  manageAccess: 'NONE',
  contactUpdates: 'NONE',
  accountDocuments: 'NONE',
};

/** The position of a level in its privilege's scale: NONE is 0. */
export function rank(privilege: PrivilegeName, level: string): number {
  return (LEVELS[privilege] as readonly string[]).indexOf(level);
}

/** Only the six levels, without whatever else an API object carries. */
export function pickPrivileges(p: Privileges): Privileges {
  return {
    softwareAccess: p.softwareAccess,
    reporting: p.reporting,
    entitlements: p.entitlements,
    manageAccess: p.manageAccess,
    contactUpdates: p.contactUpdates,
    accountDocuments: p.accountDocuments,
  };
}

/** The levels of `next` that differ from `base`: what a save sends. */
export function changedPrivileges(base: Privileges, next: Privileges): PrivilegesPatch {
  const out: Record<string, Level> = {};
  for (const name of PRIVILEGE_NAMES) {
    if (base[name] !== next[name]) out[name] = next[name];
  }
  return out as PrivilegesPatch;
}

export function applyPrivileges(base: Privileges, patch: PrivilegesPatch): Privileges {
  const out = { ...base } as Record<PrivilegeName, Level>;
  for (const name of PRIVILEGE_NAMES) {
    const level = patch[name];
    if (level !== undefined && level !== null) out[name] = level;
  }
  return out as Privileges;
}

/** Levels at or above `level`, for "at least" filters such as manageAccessIn. */
export function levelsAtLeast<P extends PrivilegeName>(privilege: P, level: Privileges[P]): Privileges[P][] {
  const min = rank(privilege, level);
  return LEVELS[privilege].filter((l) => rank(privilege, l) >= min);
}
