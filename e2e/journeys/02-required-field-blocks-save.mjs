// A required field left empty: Save is refused in the browser, the field is marked invalid with
// its message, no request leaves the page, and after a reload (confirming the leave-page
// warning) the contact is unchanged, version included.
import assert from 'node:assert/strict';
import { hasValue, inViewport, visible } from '../lib.mjs';
import { ACME, contactVersion, field, form, people, signInToContact } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await signInToContact(j, page, people.primary, ACME, 'Aisha Bello');
  const phone = field(page, 'Phone');
  await hasValue(phone, '+1 937 555 0134');
  const version = await contactVersion(page);
  assert.equal(await phone.getAttribute('aria-required'), 'true', 'Phone is marked required for assistive technology');

  // Everything the page posts to the API from now on.
  const posted = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/graphql') && r.method() === 'POST') posted.push(r.postData() ?? '');
  });

  await phone.fill('');
  await form(page).getByRole('button', { name: 'Save' }).click();
  await visible(form(page).getByText('Phone is required'), 'the inline "Phone is required" message');
  // Save sits below the fold: the refused field comes into view with the focus on it.
  await inViewport(phone, 'the Phone field in view');
  assert.equal(await phone.evaluate((el) => el === document.activeElement), true, 'the focus is on Phone');
  assert.equal(await phone.getAttribute('aria-invalid'), 'true', 'the Phone input is aria-invalid');
  const describedBy = (await phone.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
  assert.ok(errorId, `the error is tied to the input (aria-describedby="${describedBy}")`);
  assert.equal(await page.locator(`[id="${errorId}"]`).innerText(), 'Phone is required');
  await j.shot(page, 'phone-required');
  await page.waitForTimeout(500);
  const mutations = posted.filter((body) => /"query":"mutation/.test(body));
  assert.deepEqual(mutations, [], 'no mutation was sent');

  // Leaving with unsaved changes asks first; the person confirms.
  let warned = false;
  page.on('dialog', (d) => {
    warned = d.type() === 'beforeunload';
    void d.accept();
  });
  await page.reload();
  assert.ok(warned, 'reloading with unsaved changes asked before leaving');
  await visible(form(page), 'the form after reload');
  await hasValue(field(page, 'Phone'), '+1 937 555 0134');
  assert.equal(await contactVersion(page), version, 'the version did not change');
  await j.shot(page, 'after-reload-unchanged');
}
