// The GraphQL playground runs a query with the dashboard's session and loads nothing from any
// host but this server (requests elsewhere are recorded and refused).
import assert from 'node:assert/strict';
import { hasText, visible, waitFor } from '../lib.mjs';
import { people } from '../steps.mjs';

const QUERY = '{ viewer { user { email } } }';

export default async function (j) {
  const page = await j.newPage();
  const foreign = [];
  const origin = new URL(j.url).origin;
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.origin === origin) return route.continue();
    foreign.push(url);
    return route.abort('blockedbyclient');
  });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));

  await j.signIn(page, people.primary);
  await page.getByRole('link', { name: 'GraphQL playground' }).click();
  await visible(page.getByRole('heading', { name: 'Sitekeeper GraphQL playground' }), 'the playground');
  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await visible(editor, 'the query editor');
  await j.shot(page, 'playground');

  // Type the query like a person: focus the editor, select everything, type over it.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(QUERY);
  await waitFor('the editor to hold the query', async () =>
    (await page.locator('.graphiql-query-editor .view-lines').innerText()).replace(/\s+/g, ' ').includes(QUERY),
  );
  await page.getByRole('button', { name: /Execute query/ }).click();
  const response = page.locator('.graphiql-response');
  await hasText(response, /dana\.whitfield@example\.com/, 'the signed-in email in the result');
  await hasText(response, /"viewer"/);
  await j.shot(page, 'result');

  assert.ok(requests.length > 0);
  const elsewhere = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual([...new Set([...elsewhere, ...foreign])], [], 'no request left 127.0.0.1');
}
