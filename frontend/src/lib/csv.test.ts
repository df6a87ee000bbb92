import { describe, expect, it } from 'vitest';
import { CONTACT_CSV_HEADER, contactsCsv, csvCell, toCsv } from './csv';
import { HIGHEST, NO_PRIVILEGES } from './privileges';

describe('csvCell', () => {
  it('leaves plain values alone', () => {
    expect(csvCell('Ann Lee')).toBe('Ann Lee');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('Lee, Ann')).toBe('"Lee, Ann"');
    expect(csvCell('Ann "the boss" Lee')).toBe('"Ann ""the boss"" Lee"');
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
    expect(csvCell('"')).toBe('""""');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('toCsv', () => {
  it('joins cells with commas and rows with CRLF, ending with a line break', () => {
    expect(toCsv([['a', 'b'], ['c,d', 'e']])).toBe('a,b\r\n"c,d",e\r\n');
  });
});

describe('contactsCsv', () => {
  it('writes the contacts summary with a header row', () => {
    const csv = contactsCsv([
      {
        firstName: 'Ann',
        lastName: 'Lee, Jr.',
        email: 'ann@example.com',
        phone: '+19375550142',
        jobTitle: 'Buyer',
        accessRole: 'PRIMARY',
        status: 'ACTIVE',
        contactTypes: ['PRIMARY', 'BILLING'],
        privileges: HIGHEST,
      },
      {
        firstName: 'Bob',
        lastName: 'O"Neil',
        email: 'bob@example.com',
        accessRole: 'USER',
        status: 'INVITED',
        contactTypes: [],
        privileges: { ...NO_PRIVILEGES, softwareAccess: 'DOWNLOADS_MEDIA' },
      },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CONTACT_CSV_HEADER.join(','));
    expect(lines[0]).toBe(
      'Name,Email,Phone,Job title,Role,Status,Contact types,Software access,Reporting,Entitlements,Manage access,Contact updates,Account documents',
    );
    expect(lines[1]).toBe('"Ann Lee, Jr.",ann@example.com,\'+1 937 555 0142,Buyer,Primary,Active,Primary communications; Billing,Full,View,Update,Update,Update,View');
    expect(lines[2]).toBe('"Bob O""Neil",bob@example.com,,,User,Invited,,Downloads and media,None,None,None,None,None');
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });
});
