// Home page: the frame every page shares (landmarks, skip link, header,
// footer), the search box, "Nieuw voor u", courses, themes and werkplaatsen.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoPageErrors, useBrowser } from './support/browser.mjs';
import { assertPageBasics, assertSkipLink } from './support/checks.mjs';
import { searchApi, searchBox, sectionWithHeading } from './support/portal.mjs';

const browser = useBrowser();

test('home: landmarks, één h1, skiplink, inloglink en zoekvak', async (t) => {
  const page = await browser.page(t);
  const response = await page.goto('/');
  assert.equal(response.status(), 200);
  await assertPageBasics(page);
  await assertSkipLink(page);
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen', exact: true }).waitFor();
  await searchBox(page).waitFor();
  await page.getByRole('button', { name: 'Zoeken', exact: true }).first().waitFor();
  assertNoPageErrors(page);
});

test('home: "Nieuw voor u" toont het nieuwste nieuws en de nieuwste producten die de bezoeker mag lezen', async (t) => {
  const page = await browser.page(t, { path: '/' });
  const newest = await searchApi(page, { type: 'nieuws,product', sort: 'date', size: 3 });
  const section = sectionWithHeading(page, 'Nieuw voor u');
  for (const item of newest.results) {
    const link = section.getByRole('link', { name: item.title, exact: true });
    assert.equal(await link.getAttribute('href'), `/items/${item.id}`, item.id);
  }
  // The newest item comes first.
  const hrefs = await section.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const items = hrefs.filter((h) => h?.startsWith('/items/'));
  assert.equal(items[0], `/items/${newest.results[0].id}`, 'het nieuwste item staat bovenaan');
});

test('home: cursussen van de academie, thema\'s en werkplaatsen als ingangen', async (t) => {
  const page = await browser.page(t, { path: '/' });
  const main = page.getByRole('main');
  const courses = await main.locator('a[href^="/items/cursus-"]').count();
  assert.ok(courses > 0, 'minstens één cursus van de academie');
  const vocab = await (await page.request.get('/api/vocabulary')).json();
  await main.getByRole('link', { name: vocab.themes.bibob, exact: true }).first().waitFor();
  assert.equal(await main.getByRole('link', { name: vocab.themes.bibob, exact: true }).first()
    .getAttribute('href'), '/themas/bibob');
  const werkplaats = main.getByRole('link', { name: vocab.werkplaatsen.poortwachters, exact: true }).first();
  assert.equal(await werkplaats.getAttribute('href'), '/werkplaatsen/poortwachters');
  await werkplaats.click();
  await page.waitForURL('**/werkplaatsen/poortwachters');
});

test('home: zoeken vanaf de home gaat naar /zoeken?q=', async (t) => {
  const page = await browser.page(t, { path: '/' });
  await searchBox(page).fill('hennep');
  await page.getByRole('button', { name: 'Zoeken', exact: true }).first().click();
  await page.waitForURL((url) => url.pathname === '/zoeken' && url.searchParams.get('q') === 'hennep');
});
