// The session ends during an edit (here: signed out in another tab, which ends it the same way
// as the 30-minute idle limit). Save says so over the form instead of dropping the person on the
// sign-in card; "Sign in again" leaves without the unsaved-changes prompt, the person signs in,
// comes back to the same form with their changes restored and marked unsaved, and saves them.
// The Add contact form does the same. Checked in the page and through the API.
import assert from 'node:assert/strict';
import { api, hasValue, visible } from '../lib.mjs';
import { ACME, addForm, field, fill, form, notification, people, signInToContact } from '../steps.mjs';

async function endSessionElsewhere(j, page) {
  const other = await page.context().newPage();
  await other.goto(j.url + '/');
  await other.getByRole('button', { name: 'Sign out' }).click();
  await visible(other.getByRole('button', { name: 'Sign in', exact: true }), 'signed out in the other tab');
  await other.close();
}

export default async function (j) {
  const page = await j.newPage();
  await signInToContact(j, page, people.primary, ACME, 'Tom Okafor');
  const url = page.url();
  await fill(page, 'Job title', 'Senior Software Engineer');
  await visible(page.getByText('Unsaved changes'), 'marked unsaved');

  await endSessionElsewhere(j, page);
  let prompted = false;
  page.on('dialog', (d) => {
    prompted = true;
    void d.dismiss();
  });
  await form(page).getByRole('button', { name: 'Save' }).click();
  const ended = page.getByRole('dialog', { name: 'Your session has ended' });
  await visible(ended, 'the session-ended dialog');
  // The form is still there behind it, with the change.
  await hasValue(field(page, 'Job title'), 'Senior Software Engineer');
  await j.a11y(page, 'Session ended', { dialog: true });
  await j.shot(page, 'session-ended');

  await ended.getByRole('button', { name: 'Sign in again' }).click();
  await j.pickPerson(page, people.primary);
  assert.equal(prompted, false, 'leaving to sign in asked nothing');
  assert.equal(page.url(), url, 'back on the same form');
  await visible(page.getByRole('status').filter({ hasText: 'Your unsaved changes are back' }), 'the restored notice');
  await hasValue(field(page, 'Job title'), 'Senior Software Engineer');
  await visible(page.getByText('Unsaved changes'), 'still marked unsaved');
  await j.shot(page, 'draft-restored');
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(notification(page, 'Saved'), 'saved');
  const id = new URL(url).pathname.split('/').pop();
  const saved = await api(page, 'query($id: ID!) { node(id: $id) { ... on Contact { jobTitle } } }', { id });
  assert.equal(saved.node.jobTitle, 'Senior Software Engineer');
  // Saved, the draft is gone: a reload shows the record as saved, without the notice.
  await page.reload();
  await hasValue(field(page, 'Job title'), 'Senior Software Engineer');
  assert.equal(await page.getByText('Your unsaved changes are back').count(), 0, 'no stale draft');

  // The same on Add contact.
  await page.goto(`${j.url}/sites/${ACME.number}/contacts/new`);
  const input = (label) => addForm(page).getByRole('textbox', { name: label, exact: true });
  for (const [label, value] of [
    ['Email', 'quinn.baker@example.com'],
    ['First name', 'Quinn'],
    ['Last name', 'Baker'],
    ['Phone', '+1 937 555 0177'],
    ['City', 'Dayton'],
    ['State or province', 'Ohio'],
    ['Postal code', '45402'],
  ]) {
    await input(label).fill(value);
  }
  await addForm(page).getByRole('textbox', { name: 'Business justification' }).fill('Covers the night shift.');
  await endSessionElsewhere(j, page);
  await addForm(page).getByRole('button', { name: 'Add contact' }).click();
  await visible(page.getByRole('dialog', { name: 'Your session has ended' }), 'the session-ended dialog on Add contact');
  await page.getByRole('dialog').getByRole('button', { name: 'Sign in again' }).click();
  await j.pickPerson(page, people.primary);
  await visible(page.getByRole('status').filter({ hasText: 'Your unsaved changes are back' }), 'the restored notice on Add contact');
  await hasValue(input('Email'), 'quinn.baker@example.com');
  await addForm(page).getByRole('button', { name: 'Add contact' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Quinn Baker' }), 'Quinn invited');
}
