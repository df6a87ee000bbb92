// The dashboard on a phone (390 px): the contacts page is a list of cards with each person's
// name, role and status (not a table to scroll sideways), and no page is wider than the screen;
// every page passes axe-core. Then the keyboard: the first Tab reaches the skip link, which
// moves to the page, and focus is always visible; a table's scrolling frame is a Tab stop only
// while it scrolls.
import assert from 'node:assert/strict';
import { PHONE, visible } from '../lib.mjs';
import { ACME, people } from '../steps.mjs';

const PAGES = [
  ['', 'Acme Manufacturing'],
  ['/contacts', 'Contacts'],
  ['/contacts/new', 'Add contact'],
  ['/contacts/bulk?all=1', 'Bulk update'],
  ['/requests', 'Access requests'],
  ['/partners', 'Partner grants'],
  ['/audit', 'Audit log'],
  ['/transfer', 'Transfer primary'],
];

export default async function (j) {
  const phone = await j.newPage({ viewport: PHONE, label: 'phone' });
  await j.signIn(phone, people.primary, `/sites/${ACME.number}/contacts`);
  const cards = phone.getByRole('list', { name: 'Contacts' });
  await visible(cards, 'the contacts as cards');
  assert.equal(await phone.getByRole('table', { name: 'Contacts' }).count(), 0, 'no table on a phone');
  const tom = cards.getByRole('listitem').filter({ has: phone.getByRole('link', { name: 'Edit Tom Okafor' }) });
  await visible(tom.getByText('User', { exact: true }), 'Tom\'s role on his card');
  await visible(tom.getByText('Active', { exact: true }), 'Tom\'s status on his card');
  await visible(tom.getByText(people.user), 'Tom\'s email on his card');
  await j.shot(phone, 'contacts-cards', { fullPage: true });

  for (const [path, title] of PAGES) {
    await phone.goto(`${j.url}/sites/${ACME.number}${path}`);
    await visible(phone.getByRole('heading', { level: 1, name: title }), `${title} on a phone`);
    await j.assertNoHorizontalOverflow(phone, `${title} at 390 px`);
    await j.a11y(phone, `${title} at 390 px`);
  }
  // A table wider than the phone scrolls in its own frame, which the keyboard reaches by name.
  await phone.goto(`${j.url}/sites/${ACME.number}/requests`);
  const frame = phone.getByRole('region', { name: 'Access requests' });
  await visible(frame, 'the requests table\'s scrolling frame');
  assert.equal(await frame.getAttribute('tabindex'), '0', 'the frame takes focus');

  await phone.goto(`${j.url}/sites/${ACME.number}/contacts`);
  await phone.getByRole('link', { name: 'Edit Tom Okafor' }).click();
  await visible(phone.getByRole('heading', { level: 1, name: 'Tom Okafor' }), 'a contact on a phone');
  await j.assertNoHorizontalOverflow(phone, 'a contact at 390 px');
  await j.a11y(phone, 'a contact at 390 px');
  await j.shot(phone, 'contact', { fullPage: true });

  // The keyboard: the skip link first, then the page.
  const desk = await j.newPage();
  await j.signIn(desk, people.primary, `/sites/${ACME.number}`);
  await desk.goto(`${j.url}/sites/${ACME.number}/requests`);
  await visible(desk.getByRole('table', { name: 'Access requests' }), 'the requests table on a desktop');
  assert.equal(await desk.getByRole('region', { name: 'Access requests' }).count(), 0, 'a table that fits is no extra Tab stop');
  await desk.goto(`${j.url}/sites/${ACME.number}`);
  await visible(desk.getByRole('heading', { level: 1, name: 'Acme Manufacturing' }), 'the Site home');
  await desk.keyboard.press('Tab');
  const first = await desk.evaluate(() => [document.activeElement?.textContent, getComputedStyle(document.activeElement).outlineStyle]);
  assert.equal(first[0], 'Skip to the page', 'the first Tab reaches the skip link');
  assert.notEqual(first[1], 'none', 'its focus is visible');
  await desk.keyboard.press('Enter');
  assert.equal(await desk.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves to the page');
  await desk.keyboard.press('Tab');
  const next = await desk.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { inMain: Boolean(el.closest('main')), outline: s.outlineStyle, width: s.outlineWidth };
  });
  assert.ok(next.inMain, 'the next Tab is in the page');
  assert.ok(next.outline !== 'none' && next.width !== '0px', `focus is visible (${JSON.stringify(next)})`);
  await j.shot(desk, 'keyboard-focus');
}
