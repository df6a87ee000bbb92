// Dates and names as the dashboard shows them.

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fullName(c: { firstName?: string | null; lastName?: string | null; email?: string | null }): string {
  const name = `${c.firstName ?? ''} ${c.lastName ?? ''}`.trim();
  return name || c.email || 'Unnamed contact';
}

/** A message as a sentence: capital first letter, closing full stop ("reload and try again" → "Reload and try again."). */
export function asSentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const first = m[0].toUpperCase() + m.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** Whether a review due date has passed. */
export function isOverdue(dueAt: string | null | undefined, now: Date = new Date()): boolean {
  if (!dueAt) return false;
  const d = new Date(dueAt);
  return !Number.isNaN(d.getTime()) && d.getTime() < now.getTime();
}

/** yyyy-mm-dd in local time, for <input type="date">. */
export function isoDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function addDays(d: Date, days: number): Date {
  const out = new Date(d);
  out.setDate(out.getDate() + days);
  return out;
}

export function addYears(d: Date, years: number): Date {
  const out = new Date(d);
  out.setFullYear(out.getFullYear() + years);
  return out;
}

export const ROLE_LABELS: Record<string, string> = { PRIMARY: 'Primary', SECONDARY: 'Secondary', USER: 'User' };
export const STATUS_LABELS: Record<string, string> = { INVITED: 'Invited', ACTIVE: 'Active', DEACTIVATED: 'Deactivated' };
/** Contact types: who receives which communications. PRIMARY is not the role: it follows it. */
export const CONTACT_TYPE_LABELS: Record<string, string> = {
  PRIMARY: 'Primary communications',
  SITE_TECHNICAL: 'Site technical',
  ADMINISTRATIVE: 'Administrative',
  RENEWAL: 'Renewal',
  MEDIA_SHIPPING: 'Media shipping',
  BILLING: 'Billing',
};
