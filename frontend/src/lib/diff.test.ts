import { describe, expect, it } from 'vitest';
import { diffValues, showValue } from './diff';

describe('diffValues', () => {
  it('lists changed, added and removed keys in order', () => {
    expect(diffValues({ phone: '1', city: 'A', street: 'S' }, { phone: '2', city: 'A', country: 'US' })).toEqual([
      { path: 'country', before: undefined, after: 'US' },
      { path: 'phone', before: '1', after: '2' },
      { path: 'street', before: 'S', after: undefined },
    ]);
  });

  it('walks nested objects with dotted paths', () => {
    expect(diffValues({ privileges: { reporting: 'NONE', entitlements: 'VIEW' } }, { privileges: { reporting: 'VIEW', entitlements: 'VIEW' } })).toEqual([
      { path: 'privileges.reporting', before: 'NONE', after: 'VIEW' },
    ]);
  });

  it('handles a created or deleted record', () => {
    expect(diffValues(null, { email: 'a@example.com' })).toEqual([{ path: 'email', before: undefined, after: 'a@example.com' }]);
    expect(diffValues({ email: 'a@example.com' }, null)).toEqual([{ path: 'email', before: 'a@example.com', after: undefined }]);
  });

  it('compares arrays as values', () => {
    expect(diffValues({ t: ['A'] }, { t: ['A', 'B'] })).toEqual([{ path: 't', before: ['A'], after: ['A', 'B'] }]);
    expect(diffValues({ t: ['A'] }, { t: ['A'] })).toEqual([]);
  });
});

describe('showValue', () => {
  it('renders values compactly', () => {
    expect(showValue(undefined)).toBe('—');
    expect(showValue(null)).toBe('—');
    expect(showValue('')).toBe('""');
    expect(showValue('x')).toBe('x');
    expect(showValue(['A', 'B'])).toBe('["A","B"]');
    expect(showValue(3)).toBe('3');
  });
});
