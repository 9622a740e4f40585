// Without JavaScript: the same search, filters, pagination, item page and
// sign-in work as plain links and forms rendered on the server.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ACCOUNTS } from './support/accounts.mjs';
import { loginAs, logout, useBrowser } from './support/browser.mjs';
import { assertPageBasics } from './support/checks.mjs';
import {
  facetCheckbox, metadata, pagination, resultIds, searchApi, searchBox, waitForResults, waitForTotal,
} from './support/portal.mjs';

const browser = useBrowser();

test('zonder JS: zoeken vanaf de home, resultaten en aantal', async (t) => {
  const page = await browser.page(t, { js: false, path: '/' });
  await searchBox(page).fill('witwassen');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === '/zoeken' && url.searchParams.get('q') === 'witwassen');
  const size = Math.max(1, (await resultIds(page)).length);
  const expected = await searchApi(page, { q: 'witwassen', size });
  await waitForTotal(page, expected.total);
  await waitForResults(page, expected.results.map((r) => r.id));
  await assertPageBasics(page);
});

test('zonder JS: filter aanvinken en "Filters toepassen"', async (t) => {
  const page = await browser.page(t, { js: false, path: '/zoeken?q=ondermijning' });
  const size = Math.max(1, (await resultIds(page)).length);
  await facetCheckbox(page, 'Soort', 'Handreiking').check();
  await page.getByRole('button', { name: 'Filters toepassen', exact: true }).click();
  await page.waitForURL((url) => url.searchParams.getAll('type').join(',').includes('handreiking'));
  assert.equal(new URL(page.url()).searchParams.get('q'), 'ondermijning', 'de zoekterm blijft');
  const expected = await searchApi(page, { q: 'ondermijning', type: 'handreiking', size });
  await waitForTotal(page, expected.total);
  await waitForResults(page, expected.results.map((r) => r.id));
  assert.equal(await facetCheckbox(page, 'Soort', 'Handreiking').isChecked(), true);
});

test('zonder JS: paginering met gewone links', async (t) => {
  const page = await browser.page(t, { js: false, path: '/zoeken?q=' });
  const size = (await resultIds(page)).length;
  await pagination(page).getByRole('link', { name: 'Volgende', exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  const second = await searchApi(page, { q: '', size, page: 2 });
  await waitForResults(page, second.results.map((r) => r.id));
});

test('zonder JS: spellingscorrectie en de link terug', async (t) => {
  const page = await browser.page(t, { js: false, path: '/zoeken?q=witwassn' });
  const main = page.getByRole('main');
  await main.getByText(/Resultaten voor\s*‘?witwassen/).first().waitFor();
  await main.getByRole('link', { name: /zoek in plaats daarvan naar\s*‘?witwassn’?$/ }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'witwassn');
  assert.equal(await main.getByText(/Resultaten voor\s*‘?witwassen/).count(), 0);
});

test('zonder JS: "Ook gezocht naar …" en de link naar alleen het getypte woord', async (t) => {
  const page = await browser.page(t, { js: false, path: '/zoeken?q=social' });
  const main = page.getByRole('main');
  await main.getByText(/Ook gezocht naar\s*sociaal/).waitFor();
  await main.getByRole('link', { name: /^zoek alleen naar social$/ }).click();
  await page.waitForURL((url) => url.searchParams.get('spelling') === 'off');
  assert.equal(await main.getByText(/Ook gezocht naar/).count(), 0);
});

test('zonder JS: itempagina met inhoud, metadata en gerelateerde items', async (t) => {
  const page = await browser.page(t, { js: false });
  const id = 'handreiking-bibob-beleid-gemeenten';
  assert.equal((await page.goto(`/items/${id}`)).status(), 200);
  const doc = await (await page.request.get(`/api/documents/${id}`)).json();
  assert.equal((await page.getByRole('heading', { level: 1 }).innerText()).trim(), doc.title);
  assert.equal((await metadata(page, 'Soort').innerText()).trim(), 'Handreiking');
  await page.getByRole('heading', { name: 'Gerelateerde items', exact: true }).waitFor();
  await assertPageBasics(page);
});

test('zonder JS: inloggen en uitloggen met gewone formulieren', async (t) => {
  const page = await browser.page(t, { js: false });
  await loginAs(page, 'politie');
  await page.getByRole('banner').getByText(new RegExp(`\\b${ACCOUNTS.politie.roleLabel}\\b`)).first().waitFor();
  const restricted = await page.goto('/items/nieuws-oost-nederland-interventieweek-crystal-meth');
  assert.equal(restricted.status(), 200);
  await logout(page);
  const after = await page.goto('/items/nieuws-oost-nederland-interventieweek-crystal-meth');
  assert.equal(after.status(), 404);
});
