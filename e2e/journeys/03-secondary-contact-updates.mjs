// A SECONDARY with Contact updates: Update (Priya Raman) may not edit the PRIMARY's record (it is
// read-only and says why) but edits a USER's.
import assert from 'node:assert/strict';
import { hasValue, visible } from '../lib.mjs';
import { ACME, field, fill, form, nav, notification, openContact, openContacts, openSite, people } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.secondaryContacts);
  await openSite(page, ACME);
  // Contact updates without Manage access: the contacts, but no administration pages.
  assert.equal(await nav(page).getByRole('link', { name: 'Access requests' }).count(), 0, 'no Access requests link');
  await openContacts(page);

  await openContact(page, 'Dana Whitfield');
  const note = page.getByRole('note').filter({ hasText: 'Read only' }).first();
  await visible(note, 'the read-only note on the PRIMARY');
  const reason = (await note.innerText()).replace(/^Read only\s*/, '').trim();
  assert.ok(reason.length > 10, `the note gives a reason (got "${reason}")`);
  assert.match(reason, /primary/i, 'the reason is about the PRIMARY');
  assert.equal(await field(page, 'Job title').getAttribute('readonly'), '', 'the inputs are read-only');
  assert.equal(await form(page).getByRole('button', { name: 'Save' }).count(), 0, 'there is no Save button');
  await j.shot(page, 'primary-read-only');

  await page.getByRole('link', { name: 'All contacts' }).click();
  await visible(page.getByRole('table', { name: 'Contacts' }).getByRole('link', { name: 'Edit Tom Okafor' }), 'the contacts again');
  await openContact(page, 'Tom Okafor');
  assert.equal(await page.getByRole('note').filter({ hasText: 'Read only' }).and(page.locator(':not(fieldset *)')).count(), 0, 'the USER is not read-only');
  assert.equal(await field(page, 'Job title').getAttribute('readonly'), null, 'the USER\'s inputs are editable');
  await fill(page, 'Job title', 'Automation Engineer');
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(notification(page, 'Saved'), 'the "Saved" notification');
  await page.reload();
  await hasValue(field(page, 'Job title'), 'Automation Engineer');
  await j.shot(page, 'user-saved');
}
