// The Globex PRIMARY sees the overdue review on the Site home, marks it reviewed, which clears
// the banner, and downloads the calendar reminder; the phone layout fits the screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PHONE, hidden, visible } from '../lib.mjs';
import { GLOBEX, notification, openSite, people } from '../steps.mjs';

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.globexPrimary);
  const card = page.getByRole('article', { name: `Site ${GLOBEX.number}` });
  await visible(card.getByText(/Review overdue since/), 'overdue on the Site card');
  await openSite(page, GLOBEX);
  const banner = page.getByRole('alert').filter({ hasText: 'Overdue' });
  await visible(banner, 'the overdue banner');
  await j.shot(page, 'overdue');

  const review = page.getByRole('region', { name: 'Review status' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    review.getByRole('link', { name: 'Download reminder (.ics)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `sitekeeper-review-${GLOBEX.number}.ics`);
  const ics = readFileSync(await download.path(), 'utf8');
  assert.ok(ics.startsWith('BEGIN:VCALENDAR'), `the reminder is a calendar:\n${ics.slice(0, 200)}`);
  assert.match(ics, /END:VCALENDAR\s*$/);

  await review.getByRole('button', { name: 'Mark reviewed' }).click();
  await visible(notification(page, 'Site reviewed'), 'the "Site reviewed" notification');
  await hidden(banner, 'the overdue banner');
  await visible(review.getByText(/Last reviewed: .* by elena\.petrova@example\.com/), 'who reviewed');
  await j.shot(page, 'reviewed');

  const phone = await j.newPage({ viewport: PHONE, label: 'phone' });
  await j.signIn(phone, people.globexPrimary, `/sites/${GLOBEX.number}`);
  await visible(phone.getByRole('heading', { level: 1, name: GLOBEX.name }), 'the Site home on a phone');
  assert.equal(await phone.getByRole('alert').filter({ hasText: 'Overdue' }).count(), 0, 'no banner after the review');
  await j.assertNoHorizontalOverflow(phone, 'Site home at 390 px');
  await j.shot(phone, 'phone-site-home', { fullPage: true });
}
