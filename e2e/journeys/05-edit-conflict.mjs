// Two people edit one contact at once: A (the PRIMARY) saves first; B (a SECONDARY with Manage
// access) saves afterwards and sees the conflict with A's newer values and a Reload, after which
// B's form holds A's values. Then once more, with "Keep my changes": B keeps the field B
// changed and takes A's newer value for the one B did not touch.
import assert from 'node:assert/strict';
import { waitFor, hasValue, inViewport, visible } from '../lib.mjs';
import { ACME, contactVersion, field, fill, form, notification, openContact, openContacts, openSite, people } from '../steps.mjs';

export default async function (j) {
  const a = await j.newPage({ label: 'A' });
  const b = await j.newPage({ label: 'B' });
  await j.signIn(a, people.primary);
  await j.signIn(b, people.secondaryAccess);
  for (const page of [a, b]) {
    await openSite(page, ACME);
    await openContacts(page);
    await openContact(page, 'Aisha Bello');
    await hasValue(field(page, 'Job title'), 'Logistics Coordinator');
  }
  const version = await contactVersion(b);

  await fill(a, 'Job title', 'Logistics Lead');
  await fill(a, 'Phone', '+1 937 555 0135');
  await form(a).getByRole('button', { name: 'Save' }).click();
  await visible(notification(a, 'Saved'), 'A saved');
  await j.shot(a, 'a-saved');

  await fill(b, 'Job title', 'Shipping Coordinator');
  await form(b).getByRole('button', { name: 'Save' }).click();
  const conflict = b.getByRole('alert').filter({ hasText: 'Someone else changed this contact' });
  await visible(conflict, 'the conflict message in B');
  // B clicked Save at the bottom of the form: the message comes into view.
  await inViewport(conflict, 'the conflict message in view');
  await visible(conflict.getByText(/Nothing of yours was saved/), 'that nothing was saved');
  const table = conflict.getByRole('table', { name: 'Your values and the current values' });
  const jobRow = table.getByRole('row').filter({ has: b.getByRole('rowheader', { name: 'Job title' }) });
  await visible(jobRow.getByRole('cell', { name: 'Shipping Coordinator' }), 'B\'s unsaved job title');
  await visible(jobRow.getByRole('cell', { name: 'Logistics Lead' }), 'A\'s saved job title');
  const phoneRow = table.getByRole('row').filter({ has: b.getByRole('rowheader', { name: 'Phone' }) });
  await visible(phoneRow.getByRole('cell', { name: '+1 937 555 0135' }), 'A\'s saved phone');
  assert.equal(await form(b).getByRole('button', { name: 'Save' }).isDisabled(), true, 'Save waits for a decision');
  await j.shot(b, 'b-conflict');

  await conflict.getByRole('button', { name: 'Reload' }).click();
  await hidden(conflict);
  await hasValue(field(b, 'Job title'), 'Logistics Lead');
  await hasValue(field(b, 'Phone'), '+1 937 555 0135');
  await waitFor('B at the new version', async () => (await contactVersion(b)) === version + 1);
  await j.shot(b, 'b-reloaded');

  // Nothing unsaved is left: a browser reload shows the same, without asking.
  await b.reload();
  await hasValue(field(b, 'Job title'), 'Logistics Lead');

  // Again: B changes the job title while A changes the phone.
  await fill(b, 'Job title', 'Shipping Coordinator');
  await fill(a, 'Phone', '+1 937 555 0136');
  await form(a).getByRole('button', { name: 'Save' }).click();
  await visible(notification(a, 'Saved'), 'A saved again');
  await waitFor('A at the next version', async () => (await contactVersion(a)) === version + 2);
  await form(b).getByRole('button', { name: 'Save' }).click();
  await visible(conflict, 'the second conflict');
  const phoneAgain = conflict.getByRole('row').filter({ has: b.getByRole('rowheader', { name: 'Phone' }) });
  await visible(phoneAgain.getByText('(not changed by you)'), 'the phone marked as not changed by B');
  await conflict.getByRole('button', { name: 'Keep my changes' }).click();
  await hasValue(field(b, 'Job title'), 'Shipping Coordinator');
  await hasValue(field(b, 'Phone'), '+1 937 555 0136');
  await form(b).getByRole('button', { name: 'Save' }).click();
  await visible(notification(b, 'Saved'), 'B saved');
  await b.reload();
  await hasValue(field(b, 'Job title'), 'Shipping Coordinator');
  await hasValue(field(b, 'Phone'), '+1 937 555 0136');
  await j.shot(b, 'b-kept-mine');
}

async function hidden(locator) {
  await locator.waitFor({ state: 'hidden' });
}
