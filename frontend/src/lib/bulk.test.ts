import { describe, expect, it } from 'vitest';
import { bulkDetailsInput, bulkPreview, type BulkContact } from './bulk';
import { NO_PRIVILEGES } from './privileges';

const ann: BulkContact = {
  id: '1',
  firstName: 'Ann',
  lastName: 'Lee',
  email: 'ann@example.com',
  city: 'Springfield',
  phone: '+1 555 0100',
  street: null,
  privileges: { ...NO_PRIVILEGES, reporting: 'VIEW' },
};
const bob: BulkContact = {
  id: '2',
  firstName: 'Bob',
  lastName: 'Ray',
  email: 'bob@example.com',
  city: 'Chicago',
  phone: '+1 555 0101',
  street: '1 Main St',
  privileges: { ...NO_PRIVILEGES, softwareAccess: 'FULL' },
};

describe('bulkPreview', () => {
  it('lists old → new per contact, only for values that change', () => {
    const rows = bulkPreview([ann, bob], { city: 'Chicago' }, { reporting: 'VIEW', softwareAccess: 'DOWNLOADS' });
    expect(rows[0].changes).toEqual([
      { field: 'city', label: 'City', from: 'Springfield', to: 'Chicago' },
      { field: 'softwareAccess', label: 'Software access', from: 'None', to: 'Downloads' },
    ]);
    expect(rows[1].changes).toEqual([
      { field: 'softwareAccess', label: 'Software access', from: 'Full', to: 'Downloads' },
      { field: 'reporting', label: 'Reporting', from: 'None', to: 'View' },
    ]);
  });

  it('shows a missing optional value as empty and a cleared one as empty', () => {
    const rows = bulkPreview([ann, bob], { street: '' }, {});
    expect(rows[0].changes).toEqual([]);
    expect(rows[1].changes).toEqual([{ field: 'street', label: 'Street', from: '1 Main St', to: '' }]);
  });

  it('changes nothing for an empty patch', () => {
    expect(bulkPreview([ann, bob], {}, {}).every((r) => r.changes.length === 0)).toBe(true);
  });
});

describe('bulkDetailsInput', () => {
  it('trims values and turns emptied optional fields into clear flags', () => {
    expect(bulkDetailsInput({ city: ' Chicago ', street: '', jobTitle: '  ' })).toEqual({
      city: 'Chicago',
      clearStreet: true,
      clearJobTitle: true,
    });
  });

  it('sends an emptied required field as empty, for the server to refuse by name', () => {
    expect(bulkDetailsInput({ phone: '' })).toEqual({ phone: '' });
  });
});
