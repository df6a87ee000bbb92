// "Export CSV" on the contacts page downloads the Site's contacts summary; the contacts page
// also fits a phone (the table scrolls inside its own frame).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PHONE, visible } from '../lib.mjs';
import { ACME, nav, notification, openContacts, openSite, people } from '../steps.mjs';

const ACME_EMAILS = [
  'aisha.bello@example.com',
  'marcus.chen@example.com',
  'brian.kowalski@example.com',
  'jordan.lee@example.com',
  'tom.okafor@example.com',
  'luis.ortega@example.com',
  'priya.raman@example.com',
  'dana.whitfield@example.com',
];

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await openContacts(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.equal(download.suggestedFilename(), `contacts-${ACME.number}.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  await visible(notification(page, 'Export ready'), 'the "Export ready" notification');
  await j.shot(page, 'exported');

  const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(
    lines[0],
    'Name,Email,Phone,Job title,Role,Status,Contact types,Software access,Reporting,Entitlements,Manage access,Contact updates,Account documents',
  );
  assert.equal(lines.length, 1 + ACME_EMAILS.length, `a header and ${ACME_EMAILS.length} contacts:\n${csv}`);
  const emails = lines.slice(1).map((l) => l.split(',')[1]);
  assert.deepEqual([...emails].sort(), [...ACME_EMAILS].sort());
  assert.ok(!csv.includes('globex') && !csv.includes('elena.petrova'), 'nothing of another Site');
  const dana = lines.find((l) => l.includes('dana.whitfield@example.com'));
  // Labels, not codes; the phone as people write it (a leading ' keeps spreadsheets from a formula).
  assert.match(dana, /^Dana Whitfield,dana\.whitfield@example\.com,'\+1 937 555 0142,VP Operations,Primary,Active,Primary communications; Renewal,Full,/);

  const phone = await j.newPage({ viewport: PHONE, label: 'phone' });
  await j.signIn(phone, people.primary, `/sites/${ACME.number}`);
  await phone.getByRole('button', { name: 'Toggle navigation' }).click();
  await nav(phone).getByRole('link', { name: 'Contacts', exact: true }).click();
  await visible(phone.getByRole('list', { name: 'Contacts' }).getByRole('link', { name: 'Edit Tom Okafor' }), 'the contacts on a phone');
  await visible(phone.getByRole('button', { name: 'Export CSV' }), 'Export CSV on a phone');
  await j.assertNoHorizontalOverflow(phone, 'Contacts at 390 px');
  await j.shot(phone, 'phone-contacts');
}
