// A USER (Tom Okafor) sees only their own record: no Contacts link, the contacts page refuses
// with the reason, and "My contact details" works, on a desktop and on a phone.
import assert from 'node:assert/strict';
import { PHONE, hasValue, visible } from '../lib.mjs';
import { ACME, field, form, nav, openSite, people } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.user);
  await openSite(page, ACME);
  assert.equal(await nav(page).getByRole('link', { name: 'Contacts', exact: true }).count(), 0, 'no Contacts link');
  assert.equal(await page.getByRole('link', { name: 'View all contacts' }).count(), 0, 'no "View all contacts" link');
  await visible(page.getByText('Your privileges do not include the contact list of this Site.'), 'why the list is missing');
  await j.shot(page, 'site-home');

  await page.goto(`${j.url}/sites/${ACME.number}/contacts`);
  await visible(page.getByRole('heading', { level: 1, name: 'Contacts' }), 'the Contacts page');
  const denied = page.getByRole('note').filter({ hasText: 'Not available to you' });
  await visible(denied, 'the refusal');
  await visible(denied.getByText(/Manage access or Contact updates/), 'the reason');
  assert.equal(await page.getByRole('table', { name: 'Contacts' }).count(), 0, 'no table');
  await j.shot(page, 'contacts-refused');

  await nav(page).getByRole('link', { name: 'My contact details' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'My contact details' }), 'my contact details');
  await hasValue(field(page, 'Email'), people.user);
  await hasValue(field(page, 'First name'), 'Tom');
  await j.shot(page, 'my-details');

  // The same on a phone: the navigation behind the burger, nothing wider than the screen.
  const phone = await j.newPage({ viewport: PHONE, label: 'phone' });
  await j.signIn(phone, people.user, `/sites/${ACME.number}`);
  await phone.getByRole('button', { name: 'Toggle navigation' }).click();
  await nav(phone).getByRole('link', { name: 'My contact details' }).click();
  await visible(phone.getByRole('heading', { level: 1, name: 'My contact details' }), 'my contact details on a phone');
  await visible(form(phone), 'the form on a phone');
  await j.assertNoHorizontalOverflow(phone, 'My contact details at 390 px');
  await j.shot(phone, 'phone-my-details');
}
