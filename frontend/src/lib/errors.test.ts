import { describe, expect, it } from 'vitest';
import { describeError, inOurWords } from './errors';

describe('server messages in the dashboard’s words', () => {
  it.each([
    ["only the PRIMARY may change the PRIMARY's record", "Only the Primary contact may change the Primary contact's record."],
    ['only the PRIMARY may add a SECONDARY contact', 'Only the Primary contact may add a Secondary contact.'],
    ['adding contacts needs manageAccess UPDATE', 'Adding contacts needs Manage access: Update.'],
    ['that needs softwareAccess DOWNLOADS_MEDIA', 'That needs Software access: Downloads and media.'],
    ['you cannot grant more than you hold: softwareAccess', 'You cannot grant more than you hold: softwareAccess.'],
    ['postalCode is too long', 'Postal code is too long.'],
    ['details.phone must be a phone number with its country code, such as +1 937 555 0142', 'Phone must be a phone number with its country code, such as +1 937 555 0142.'],
    ['the new primary contact must be ACTIVE and have signed in', 'The new primary contact must be active and have signed in.'],
    ['Already fine.', 'Already fine.'],
  ])('%s', (raw, want) => {
    expect(inOurWords(raw)).toBe(want);
  });

  it('names the fields of a refused input once, leaving the messages to the fields', () => {
    expect(describeError({ code: 'BAD_USER_INPUT', message: 'Postal code is too long.', fields: ['details.postalCode'], ids: [] })).toBe(
      'Check this field: Postal code.',
    );
    expect(describeError({ code: 'FORBIDDEN', message: 'Adding contacts needs Manage access: Update.', fields: [], ids: [] })).toBe(
      'Adding contacts needs Manage access: Update.',
    );
  });
});
