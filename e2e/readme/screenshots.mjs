// The README's pictures: the contacts page and the Site home as the Primary contact sees them on
// a desktop, written to docs/screenshots/ (./scripts/screenshots makes them again).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { visible } from '../lib.mjs';
import { ACME, openContacts, openSite, people } from '../steps.mjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

export default async function (j) {
  const page = await j.newPage({ viewport: { width: 1280, height: 800 } });
  await j.signIn(page, people.primary);
  await openSite(page, ACME);
  await visible(page.getByRole('region', { name: 'Contacts summary' }).or(page.getByText('Contacts summary')), 'the summary');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(out, 'site-home.png') });
  await openContacts(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(out, 'contacts.png') });
}
