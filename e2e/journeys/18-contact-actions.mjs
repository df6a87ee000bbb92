// The actions of a contact's page, for each role that may take them and one refusal for each
// that may not: the PRIMARY makes a User a Secondary contact and back and takes a contact type on
// her own record; a manager sets a USER's privileges up to his own, deactivates and reactivates a
// USER, sends an invitation again and withdraws one; an editor (Contact updates) assigns a contact
// type, but not on the Primary contact's record; a USER edits only their own details and is
// offered no actions. Each result is checked in the page and through the API.
import assert from 'node:assert/strict';
import { apiRaw, hasValue, hidden, visible, waitFor } from '../lib.mjs';
import { ACME, contactByEmail, fill, form, go, notification, openContact, people, signInToContact } from '../steps.mjs';

const AISHA = 'aisha.bello@example.com';
const LUIS = 'luis.ortega@example.com';

async function confirm(page, button, confirmLabel) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await visible(dialog, `the confirmation of "${button}"`);
  await dialog.getByRole('button', { name: confirmLabel, exact: true }).click();
  await visible(notification(page, 'Done'), `"${button}" done`);
  await hidden(dialog, 'the confirmation closed');
}

export default async function (j) {
  const page = await j.newPage();

  // The PRIMARY: role changes.
  await signInToContact(j, page, people.primary, ACME, 'Aisha Bello');
  await confirm(page, 'Make Secondary', 'Make Secondary');
  assert.equal((await contactByEmail(page, ACME, AISHA)).accessRole, 'SECONDARY');
  await confirm(page, 'Make User', 'Make User');
  assert.equal((await contactByEmail(page, ACME, AISHA)).accessRole, 'USER');
  await j.a11y(page, 'Contact page (PRIMARY)');
  // Contact types on the Primary contact's own record are hers to change.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My contact details' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'My contact details' }), 'her own record');
  await page.getByRole('combobox', { name: 'Assign contact type' }).selectOption({ label: 'Site technical' });
  await page.getByRole('button', { name: 'Assign' }).click();
  await visible(notification(page, 'Done'), 'the type assigned to herself');
  assert.ok((await contactByEmail(page, ACME, people.primary, 'id contactTypes')).contactTypes.includes('SITE_TECHNICAL'));
  assert.ok(!(await contactByEmail(page, ACME, people.secondaryAccess, 'id contactTypes')).contactTypes.includes('SITE_TECHNICAL'), 'moved from its holder');
  await j.signOut(page);

  // A manager: privileges up to his own, status, invitations.
  await signInToContact(j, page, people.secondaryAccess, ACME, 'Tom Okafor');
  const entitlements = form(page).getByRole('combobox', { name: 'Entitlements' });
  assert.deepEqual(await entitlements.locator('option:not([disabled])').allTextContents(), ['None', 'View'], 'up to his own View');
  await entitlements.selectOption({ label: 'View' });
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(notification(page, 'Saved'), 'privileges saved');
  assert.equal((await contactByEmail(page, ACME, people.user, 'id privileges { entitlements }')).privileges.entitlements, 'VIEW');
  assert.equal(await page.getByRole('button', { name: 'Make Secondary' }).isDisabled(), true, 'promoting is the PRIMARY\'s');
  await visible(page.getByText('Only the Primary contact may promote or demote Secondary contacts.'), 'with the reason');

  await go(j, page, `/sites/${ACME.number}/contacts`, 'Contacts');
  await openContact(page, 'Aisha Bello');
  await confirm(page, 'Deactivate', 'Deactivate');
  assert.equal((await contactByEmail(page, ACME, AISHA)).status, 'DEACTIVATED');
  await confirm(page, 'Reactivate', 'Reactivate');
  // She never signed in: reactivated, she is invited again.
  assert.equal((await contactByEmail(page, ACME, AISHA)).status, 'INVITED');

  await go(j, page, `/sites/${ACME.number}/contacts`, 'Contacts');
  await openContact(page, 'Luis Ortega');
  const before = await contactByEmail(page, ACME, LUIS, 'id invitationExpiresAt');
  await confirm(page, 'Send the invitation again', 'Send again');
  const after = await contactByEmail(page, ACME, LUIS, 'id invitationExpiresAt');
  assert.ok(new Date(after.invitationExpiresAt) > new Date(before.invitationExpiresAt), 'a later expiry');
  await page.getByRole('button', { name: 'Withdraw the invitation' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Withdraw' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Contacts' }), 'back on the contacts');
  assert.equal(await contactByEmail(page, ACME, LUIS), null, 'the invitation is gone');
  await waitFor('Luis off the table', async () => (await page.getByRole('link', { name: 'Edit Luis Ortega' }).count()) === 0);
  await j.signOut(page);

  // An editor: contact types, but not on the Primary contact's record.
  await signInToContact(j, page, people.secondaryContacts, ACME, 'Tom Okafor');
  await page.getByRole('combobox', { name: 'Assign contact type' }).selectOption({ label: 'Administrative' });
  await page.getByRole('button', { name: 'Assign' }).click();
  await visible(notification(page, 'Done'), 'the type assigned');
  const tom = await contactByEmail(page, ACME, people.user, 'id contactTypes');
  assert.deepEqual(tom.contactTypes, ['ADMINISTRATIVE']);
  await go(j, page, `/sites/${ACME.number}/contacts`, 'Contacts');
  await openContact(page, 'Dana Whitfield');
  assert.equal(await page.getByRole('combobox', { name: 'Assign contact type' }).count(), 0, 'no assigning on the Primary contact\'s record');
  await visible(page.getByText("Only the Primary contact may change the Primary contact's record.").first(), 'the reason');
  const dana = await contactByEmail(page, ACME, people.primary, 'id');
  const site = (await apiRaw(page, `query { site(number: "${ACME.number}") { id } }`)).data.site.id;
  const r = await apiRaw(page, 'mutation($s: ID!, $c: ID!) { assignContactType(siteId: $s, type: BILLING, contactId: $c) { id } }', { s: site, c: dana.id });
  assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'the API refuses it too');
  await j.a11y(page, 'The Primary contact\'s record (editor)');
  await j.signOut(page);

  // A USER: their own details, no actions.
  await j.signIn(page, people.user, `/sites/${ACME.number}`);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My contact details' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'My contact details' }), 'his own record');
  for (const button of ['Make Secondary', 'Deactivate', 'Assign']) {
    assert.equal(await page.getByRole('button', { name: button, exact: true }).count(), 0, `no ${button} for a USER`);
  }
  // A signed-in person's email is theirs: read-only, with the reason.
  const email = form(page).getByRole('textbox', { name: 'Email', exact: true });
  assert.equal(await email.getAttribute('readonly'), '', 'the email is read-only');
  await visible(form(page).getByText(/changes at their identity provider/), 'why');
  await fill(page, 'Job title', 'Staff Engineer');
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(notification(page, 'Saved'), 'his own details saved');
  await hasValue(form(page).getByRole('textbox', { name: 'Job title', exact: true }), 'Staff Engineer');
  await j.a11y(page, 'My contact details (USER)');
  const other = await contactByEmail(page, ACME, AISHA).catch(() => null);
  assert.equal(other, null, 'a USER cannot look others up');
}
