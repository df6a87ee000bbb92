// Access requests: Sam Rivera (no Site) asks for Site 1234567 and signs out; the PRIMARY grants
// it on the Access requests page; Sam signs in again and has the Site.
import assert from 'node:assert/strict';
import { visible } from '../lib.mjs';
import { ACME, nav, notification, openSite, people } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.noSite);
  await visible(page.getByText('You are not a contact of any Site yet.'), 'no Site yet');
  await j.shot(page, 'no-site');
  await page.getByRole('main').getByRole('link', { name: 'Request access to a Site' }).click();
  const request = page.getByRole('form', { name: 'Request access' });
  await visible(request, 'the request form');
  await request.getByRole('textbox', { name: 'Site number' }).fill(ACME.number);
  await request.getByRole('textbox', { name: 'Justification' }).fill('I join the Dayton controls team next week.');
  await request.getByRole('button', { name: 'Request access' }).click();
  await visible(page.getByRole('status').filter({ hasText: 'Request recorded' }), 'the confirmation');
  await j.shot(page, 'requested');
  await j.signOut(page);

  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await nav(page).getByRole('link', { name: 'Access requests' }).click();
  const table = page.getByRole('table', { name: 'Access requests' });
  const row = table.getByRole('row').filter({ hasText: people.noSite });
  await visible(row, 'Sam\'s pending request');
  await visible(row.getByText('I join the Dayton controls team next week.'), 'the justification');
  await visible(page.getByText('Page 1 of 1 · 1 request', { exact: true }), 'the count in the singular');
  await j.shot(page, 'pending');
  await row.getByRole('button', { name: /^Grant access to Sam Rivera/ }).click();
  const dialog = page.getByRole('dialog', { name: /Grant access to Sam Rivera/ });
  await visible(dialog, 'the grant dialog');
  await dialog.getByRole('combobox', { name: 'Reporting' }).selectOption({ label: 'View' });
  await j.shot(page, 'grant-dialog');
  await dialog.getByRole('button', { name: 'Grant access' }).click();
  await visible(notification(page, 'Access granted'), 'the "Access granted" notification');
  await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Granted' });
  await visible(table.getByRole('row').filter({ hasText: people.noSite }).getByText('Granted', { exact: true }), 'the request granted');
  await j.signOut(page);

  await j.signIn(page, people.noSite);
  const card = page.getByRole('article', { name: `Site ${ACME.number}` });
  await visible(card, 'the Site on Sam\'s home');
  await j.shot(page, 'sam-has-site');
  await openSite(page, ACME);
  await nav(page).getByRole('link', { name: 'My contact details' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'My contact details' }), 'Sam\'s contact details');
  assert.equal(await page.getByRole('textbox', { name: 'Email', exact: true }).inputValue(), people.noSite);
  await visible(page.getByLabel('Reporting: View'), 'the privilege granted');
}
