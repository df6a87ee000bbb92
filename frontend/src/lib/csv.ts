// CSV export of the contacts summary (RFC 4180: comma separated, CRLF line ends, fields with a
// comma, quote or line break quoted and inner quotes doubled).
import { formatPhone } from './contactinfo';
import { CONTACT_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS } from './format';
import { LEVEL_LABELS, PRIVILEGE_LABELS, PRIVILEGE_NAMES, type Privileges } from './privileges';

/**
 * One cell. Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
 * carriage return) get a leading apostrophe, as OWASP recommends for CSV exports.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export interface ContactSummary {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
  jobTitle?: string | null;
  accessRole: string;
  status: string;
  contactTypes: readonly string[];
  privileges: Privileges;
}

export const CONTACT_CSV_HEADER = [
  'Name',
  'Email',
  'Phone',
  'Job title',
  'Role',
  'Status',
  'Contact types',
  ...PRIVILEGE_NAMES.map((p) => PRIVILEGE_LABELS[p]),
];

/** The contacts summary with the dashboard's labels, as a spreadsheet reads it. */
export function contactsCsv(contacts: readonly ContactSummary[]): string {
  return toCsv([
    CONTACT_CSV_HEADER,
    ...contacts.map((c) => [
      `${c.firstName} ${c.lastName}`.trim(),
      c.email,
      formatPhone(c.phone),
      c.jobTitle ?? '',
      ROLE_LABELS[c.accessRole] ?? c.accessRole,
      STATUS_LABELS[c.status] ?? c.status,
      c.contactTypes.map((t) => CONTACT_TYPE_LABELS[t] ?? t).join('; '),
      ...PRIVILEGE_NAMES.map((p) => LEVEL_LABELS[c.privileges[p]] ?? c.privileges[p]),
    ]),
  ]);
}

/** Offer text as a file download (a UTF-8 BOM lets spreadsheets detect the encoding). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const blob = new Blob(['\ufeff', text], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
