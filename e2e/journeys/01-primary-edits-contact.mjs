// The PRIMARY opens a USER's record from the contacts table, changes the job title and phone,
// saves, and still sees the new values after reloading the page.
import assert from 'node:assert/strict';
import { hasValue, truncatedBadges, visible } from '../lib.mjs';
import { ACME, field, fill, form, notification, openContact, openContacts, openSite, people } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.primary);
  await j.shot(page, 'my-sites');
  await openSite(page, ACME);
  await openContacts(page);
  // At 1280 px the roles and statuses read in full and the table needs no sideways scrolling.
  const table = page.getByRole('table', { name: 'Contacts' });
  assert.deepEqual(await truncatedBadges(table), [], 'no badge is cut off');
  await visible(table.getByText('Deactivated', { exact: true }), 'a whole "Deactivated" badge');
  const overflow = await table.evaluate((t) => t.getBoundingClientRect().right - t.closest('main').getBoundingClientRect().right);
  assert.ok(overflow <= 0, `the table fits the page (${overflow} px too wide)`);
  await j.shot(page, 'contacts');

  await openContact(page, 'Tom Okafor');
  await hasValue(field(page, 'Job title'), 'Software Engineer');
  await hasValue(field(page, 'Phone'), '+1 937 555 0128');
  await j.shot(page, 'form-before');

  await fill(page, 'Job title', 'Senior Controls Engineer');
  await fill(page, 'Phone', '+1 937 555 0199');
  await visible(form(page).getByRole('status').getByText('Unsaved changes'), 'the unsaved-changes hint');
  await j.shot(page, 'form-edited');
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(notification(page, 'Saved'), 'the "Saved" notification');
  await visible(page.getByText('Tom Okafor is up to date.'), 'the saved message');
  await j.shot(page, 'saved');

  await page.reload();
  await visible(form(page), 'the form after reload');
  await hasValue(field(page, 'Job title'), 'Senior Controls Engineer');
  await hasValue(field(page, 'Phone'), '+1 937 555 0199');
  assert.equal(await form(page).getByText('Unsaved changes').count(), 0, 'no unsaved changes after reload');
  await j.shot(page, 'after-reload');
}
