// A compact diff of an audit event's before and after values.

export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The leaves that differ, as dotted paths in a stable order; nested objects are walked. */
export function diffValues(before: unknown, after: unknown, prefix = ''): ValueChange[] {
  if (isObject(before) || isObject(after)) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    if (!isObject(before) && before !== undefined && before !== null) return [{ path: prefix || '(value)', before, after }];
    if (!isObject(after) && after !== undefined && after !== null) return [{ path: prefix || '(value)', before, after }];
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
    return keys.flatMap((k) => diffValues(b[k], a[k], prefix ? `${prefix}.${k}` : k));
  }
  return same(before, after) ? [] : [{ path: prefix || '(value)', before, after }];
}

/** A short rendering of one value: strings as is, absent as an em dash, the rest as JSON. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}
