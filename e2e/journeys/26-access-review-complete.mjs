// An access review from start to evidence, by the PRIMARY (Dana): she starts it from the Site
// home, keeps a User, deactivates one, removes one (a note is required: refused inline without
// one), decides one by the keyboard (D), sees her own item is Keep only, filters to the pending
// ones, keeps the rest (confirmed), and completes it after a summary of what it applies. The
// removed contact is gone from the contacts, the deactivated one is deactivated, the completed
// review shows the outcomes and its evidence links (and the files they download,
// the CSV names the removal), and the Site home lists it among past reviews. Checked in the
// page and through the API at each step.
import assert from 'node:assert/strict';
import { PHONE, hidden, hasText, visible, waitFor } from '../lib.mjs';
import { ACME, contactByEmail, nav, notification, openContacts, openReview, openSite, people, reviewById, reviewRow, startReview } from '../steps.mjs';

const AISHA = 'aisha.bello@example.com';
const BRIAN = 'brian.kowalski@example.com';
const JORDAN = people.invited;
const NOTE = 'Left the company in March';

async function decision(page, email) {
  const r = await openReview(page, ACME);
  return r.items.find((i) => i.snapshot.email === email);
}

export default async function (j) {
  const page = await j.newPage();
  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  assert.equal(await openReview(page, ACME), null, 'no review open yet');
  await startReview(page);
  const progress = page.getByTestId('review-progress');
  await hasText(progress, /^0 of 8 decided, 8 pending$/, 'every Acme contact in the review');
  let review = await openReview(page, ACME);
  assert.deepEqual(review.progress, { total: 8, pending: 8, keep: 0, deactivate: 0, remove: 0, selfConfirmed: 0 });
  await j.a11y(page, 'Review page (open)');
  await j.shot(page, 'review-started');

  // Her own item: Keep only, with the reason.
  const dana = reviewRow(page, 'Dana Whitfield');
  assert.equal(await dana.getByRole('button', { name: 'Remove Dana Whitfield' }).isDisabled(), true, 'her own item is Keep only');
  await visible(dana.getByText("The Primary contact's item can only be Keep."), 'the reason under the buttons');

  // Keep, deactivate.
  await reviewRow(page, 'Tom Okafor').getByRole('button', { name: 'Keep Tom Okafor' }).click();
  await waitFor('Tom kept', async () => (await decision(page, people.user)).decision === 'KEEP');
  await reviewRow(page, 'Aisha Bello').getByRole('button', { name: 'Deactivate Aisha Bello' }).click();
  await waitFor('Aisha to be deactivated', async () => (await decision(page, AISHA)).decision === 'DEACTIVATE');
  await visible(reviewRow(page, 'Aisha Bello').getByRole('button', { name: 'Deactivate Aisha Bello', pressed: true }), 'Deactivate pressed');

  // Remove: a note first.
  const brian = reviewRow(page, 'Brian Kowalski');
  await brian.getByRole('button', { name: 'Remove Brian Kowalski' }).click();
  await visible(brian.getByText('Removing a contact needs a note saying why.'), 'the note required, inline');
  assert.equal((await decision(page, BRIAN)).decision, 'PENDING', 'nothing sent without a note');
  await brian.getByRole('textbox', { name: 'Note on Brian Kowalski' }).fill(NOTE);
  await brian.getByRole('button', { name: 'Remove Brian Kowalski' }).click();
  await waitFor('Brian to be removed', async () => {
    const d = await decision(page, BRIAN);
    return d.decision === 'REMOVE' && d.note === NOTE;
  });
  await hidden(brian.getByText('Removing a contact needs a note saying why.'), 'the note error gone');

  // The keyboard: D with focus in Jordan's row.
  await reviewRow(page, 'Jordan Lee').getByRole('button', { name: 'Keep Jordan Lee' }).focus();
  await page.keyboard.press('d');
  await waitFor('Jordan deactivated by the keyboard', async () => (await decision(page, JORDAN)).decision === 'DEACTIVATE');
  await hasText(progress, /^4 of 8 decided, 4 pending$/, 'four decided');
  await j.shot(page, 'decided');

  // Pending only, then keep the rest.
  await page.getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Pending only' });
  await waitFor('four pending rows', async () => (await page.getByRole('table', { name: 'Review items' }).getByRole('rowheader').count()) === 4);
  assert.equal(await reviewRow(page, 'Tom Okafor').count(), 0, 'Tom is decided: not pending');
  await page.getByRole('button', { name: 'Keep all remaining (4)' }).click();
  const keepDialog = page.getByRole('dialog', { name: 'Keep all remaining?' });
  await keepDialog.getByRole('button', { name: 'Keep 4' }).click();
  await visible(notification(page, 'Remaining items kept'), 'kept');
  await hasText(progress, /^8 of 8 decided, 0 pending$/, 'all decided');
  review = await openReview(page, ACME);
  assert.deepEqual(review.progress, { total: 8, pending: 0, keep: 5, deactivate: 2, remove: 1, selfConfirmed: 0 });

  // Complete, after the summary.
  await page.getByRole('button', { name: 'Complete review' }).click();
  const dialog = page.getByRole('dialog', { name: 'Complete the review?' });
  await visible(dialog.getByRole('list', { name: 'To deactivate' }).getByText('Aisha Bello'), 'Aisha in the summary');
  await visible(dialog.getByRole('list', { name: 'To deactivate' }).getByText('Jordan Lee'), 'Jordan in the summary');
  await visible(dialog.getByRole('list', { name: 'To remove' }).getByText(`Brian Kowalski: ${NOTE}`), 'Brian and why');
  await j.a11y(page, 'Complete review dialog', { dialog: true });
  await j.shot(page, 'complete-summary');
  await dialog.getByRole('button', { name: 'Complete and apply' }).click();
  await visible(notification(page, 'Review completed'), 'completed');
  await visible(page.getByRole('heading', { level: 2, name: 'Completed review' }), 'the completed review');
  const id = new URL(page.url()).pathname.split('/').pop();
  const done = await reviewById(page, id);
  assert.ok(done.completedAt && done.completedBy === people.primary && done.attested === false, 'completed by her, decided item by item');
  const outcomes = Object.fromEntries(done.items.map((i) => [i.snapshot.email, i.outcome]));
  assert.equal(outcomes[BRIAN], 'REMOVED');
  assert.equal(outcomes[AISHA], 'DEACTIVATED');
  assert.equal(outcomes[people.user], 'KEPT');
  await visible(reviewRow(page, 'Brian Kowalski').getByText('Outcome: Removed'), 'Brian removed, in the page');
  await visible(reviewRow(page, 'Brian Kowalski').getByText('(no longer a contact)'), 'Brian no longer a contact');
  assert.equal(await page.getByRole('button', { name: /^Keep / }).count(), 0, 'read-only: no decision buttons');

  // The evidence: links from the API, and what they download.
  const csv = page.getByRole('link', { name: 'Download evidence (CSV)' });
  const html = page.getByRole('link', { name: 'Printable evidence (HTML)' });
  assert.equal(await csv.getAttribute('href'), done.evidenceCsvUrl);
  assert.equal(await html.getAttribute('href'), done.evidenceHtmlUrl);
  assert.match(done.evidenceCsvUrl, new RegExp(`/reviews/${id}/evidence\\.csv$`));
  const fetched = await page.evaluate(async (urls) => Promise.all(urls.map(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
  })), [done.evidenceCsvUrl, done.evidenceHtmlUrl]);
  assert.equal(fetched[0].status, 200, 'the CSV evidence downloads');
  assert.match(fetched[0].type, /text\/csv/);
  assert.ok(fetched[0].body.includes(BRIAN) && fetched[0].body.includes(NOTE), 'the CSV names the removal and why');
  assert.ok(/REMOVED/.test(fetched[0].body), 'the CSV records the removal applied');
  assert.equal(fetched[1].status, 200, 'the printable evidence opens');
  assert.match(fetched[1].type, /text\/html/);
  assert.ok(fetched[1].body.includes('Brian'), 'the printable page names Brian');
  await j.a11y(page, 'Review page (completed)');
  await j.shot(page, 'completed', { fullPage: true });

  // The contacts: Brian gone, Aisha deactivated.
  await openContacts(page);
  await waitFor('Brian off the contacts', async () => (await page.getByRole('link', { name: 'Edit Brian Kowalski' }).count()) === 0);
  assert.equal(await contactByEmail(page, ACME, BRIAN), null, 'Brian is gone');
  assert.equal((await contactByEmail(page, ACME, AISHA)).status, 'DEACTIVATED');

  // The Site home: no review open, this one among the past reviews.
  await nav(page).getByRole('link', { name: 'Site home' }).click();
  const past = page.getByRole('table', { name: 'Past reviews' });
  await visible(past.getByText('Decided item by item'), 'the past review');
  assert.equal(await past.getByRole('link', { name: /^Evidence CSV/ }).getAttribute('href'), done.evidenceCsvUrl);
  await visible(page.getByRole('region', { name: 'Review status' }).getByText(/Last reviewed: .* by dana\.whitfield@example\.com/), 'the Site reviewed by her');
  assert.equal(await openReview(page, ACME), null, 'no review open any more');

  // The completed review on a phone.
  const phone = await j.newPage({ viewport: PHONE, label: 'phone' });
  await j.signIn(phone, people.primary, `/sites/${ACME.number}/reviews/${id}`);
  await visible(phone.getByRole('heading', { level: 2, name: 'Completed review' }), 'the completed review on a phone');
  await j.assertNoHorizontalOverflow(phone, 'Completed review at 390 px');
}
