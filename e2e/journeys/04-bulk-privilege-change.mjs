// Bulk update: the PRIMARY selects three USERs, sets one privilege level, checks the preview of
// old → new per contact, saves once, and the privilege matrix shows the new level for all three.
import assert from 'node:assert/strict';
import { hasText, visible } from '../lib.mjs';
import { ACME, notification, openContacts, openSite, people } from '../steps.mjs';

const chosen = ['Aisha Bello', 'Jordan Lee', 'Tom Okafor'];

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await openContacts(page);
  const table = page.getByRole('table', { name: 'Contacts' });
  for (const name of chosen) await table.getByRole('checkbox', { name: `Select ${name}` }).check();
  const bulk = page.getByRole('button', { name: 'Bulk update selected (3)' });
  await visible(bulk, 'the bulk button counting 3');
  await j.shot(page, 'three-selected');
  await bulk.click();

  await visible(page.getByRole('heading', { level: 1, name: 'Bulk update' }), 'the bulk update page');
  await hasText(page.getByRole('main'), /3 selected contacts of Site 1234567/);
  const privileges = page.getByRole('group', { name: 'Privileges to set' });
  await privileges.getByRole('combobox', { name: 'Account documents' }).selectOption({ label: 'View' });

  const preview = page.getByRole('table', { name: 'Changes per contact' });
  await visible(preview, 'the preview');
  await hasText(page.getByRole('status').filter({ hasText: 'contacts change' }), /^3 of 3 contacts change; 0 stay as they are\.$/);
  for (const name of chosen) {
    const row = preview.getByRole('row').filter({ has: page.getByRole('rowheader', { name }) });
    await hasText(row, /Account documents: None → View/, `the preview of ${name} to read None → View`);
  }
  await j.shot(page, 'preview', { fullPage: true });

  const posted = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && /"query":"mutation/.test(r.postData() ?? '')) posted.push(r.postData());
  });
  await page.getByRole('button', { name: 'Save 3 contacts' }).click();
  await visible(notification(page, 'Contacts updated'), 'the "Contacts updated" notification');
  await visible(page.getByRole('heading', { level: 1, name: 'Contacts' }), 'back on the contacts');
  assert.equal(posted.length, 1, 'one Save, one request');
  assert.match(posted[0], /updateContacts/);

  await page.getByRole('radiogroup', { name: 'View' }).getByText('Privilege matrix', { exact: true }).click();
  const matrix = page.getByRole('table', { name: 'Privilege matrix' });
  await visible(matrix, 'the privilege matrix');
  for (const name of chosen) {
    const row = matrix.getByRole('row').filter({ has: page.getByRole('link', { name: `Edit ${name}` }) });
    await visible(row.getByLabel('Account documents: View'), `${name} at Account documents: View`);
  }
  // The others kept theirs.
  const marcus = matrix.getByRole('row').filter({ has: page.getByRole('link', { name: 'Edit Marcus Chen' }) });
  await visible(marcus.getByLabel('Account documents: View'), 'Marcus unchanged at View');
  const luis = matrix.getByRole('row').filter({ has: page.getByRole('link', { name: 'Edit Luis Ortega' }) });
  await visible(luis.getByLabel('Account documents: None'), 'Luis unchanged at None');
  await j.shot(page, 'matrix-after');
}
