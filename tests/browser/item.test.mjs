// Item, theme, werkplaats, footer and 404 pages. The API (documents,
// related, vocabulary, search) asked as the same caller is the oracle.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SUFFIX, api, dutchDate, useBrowser } from './support/browser.mjs';
import { assertPageBasics } from './support/checks.mjs';
import { facetCheckbox, metadata, resultIds, searchApi, waitForResults } from './support/portal.mjs';

const browser = useBrowser();

const ITEM = 'handreiking-bibob-beleid-gemeenten';
const TYPE_LABELS = { handreiking: 'Handreiking', product: 'Product', nieuws: 'Nieuws', cursus: 'Cursus',
  pagina: 'Pagina' };

// Dutch labels of themes, regions, werkplaatsen and groups ({key: label}).
const vocabulary = (page) => api(page, '/api/vocabulary');

test('item: h1, titel, kruimelpad, inhoud en metadata', async (t) => {
  const page = await browser.page(t);
  const response = await page.goto(`/items/${ITEM}`);
  assert.equal(response.status(), 200);
  const doc = await api(page, `/api/documents/${ITEM}`);
  const vocab = await vocabulary(page);
  const main = page.getByRole('main');

  assert.equal((await main.getByRole('heading', { level: 1 }).innerText()).trim(), doc.title);
  assert.equal(await page.title(), `${doc.title}${SUFFIX}`);
  const crumbs = page.getByRole('navigation', { name: 'Kruimelpad' });
  await crumbs.getByRole('link').first().waitFor();
  assert.equal(await crumbs.getByRole('link').first().getAttribute('href'), '/');

  // The rendered body: the first heading of the Markdown is on the page.
  const bodyHeading = doc.html.match(/<h2[^>]*>([^<]+)<\/h2>/)[1];
  await main.getByRole('heading', { name: bodyHeading, exact: true }).waitFor();

  const dd = async (term) => (await metadata(page, term).innerText()).trim();
  assert.equal(await dd('Soort'), TYPE_LABELS[doc.type]);
  for (const theme of doc.themes) assert.ok((await dd('Thema\'s')).includes(vocab.themes[theme]), theme);
  for (const region of doc.regions) assert.ok((await dd('Regio\'s')).includes(vocab.regions[region]), region);
  assert.equal(await dd('Werkplaats'), vocab.werkplaatsen[doc.werkplaats]);
  for (const tag of doc.tags) assert.ok((await dd('Trefwoorden')).includes(tag), tag);
  assert.equal(await dd('Gepubliceerd'), dutchDate(doc.published));
  // Imported once and never changed: no update date (the import is no update).
  assert.equal(await dd('Bijgewerkt'), '—');
  await assertPageBasics(page);
});

test('item: gerelateerde items met links naar hun pagina', async (t) => {
  const page = await browser.page(t, { path: `/items/${ITEM}` });
  const related = await api(page, `/api/documents/${ITEM}/related`);
  assert.ok(related.results.length > 0, 'de API kent gerelateerde items');
  const section = page.getByRole('main').locator('section, aside')
    .filter({ has: page.getByRole('heading', { name: 'Gerelateerde items', exact: true }) }).last();
  for (const r of related.results) {
    const link = section.getByRole('link', { name: r.title, exact: true });
    assert.equal(await link.getAttribute('href'), `/items/${r.id}`);
  }
  await section.getByRole('link', { name: related.results[0].title, exact: true }).click();
  await page.waitForURL(`**/items/${related.results[0].id}`);
  await page.getByRole('heading', { level: 1, name: related.results[0].title }).waitFor();
});

test('item: afdrukbaar (printstijl verbergt de navigatie, de inhoud blijft)', async (t) => {
  const page = await browser.page(t, { path: `/items/${ITEM}` });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('navigation', { name: 'Hoofdnavigatie' }).isVisible(), false);
  assert.equal(await page.getByRole('heading', { level: 1 }).isVisible(), true);
});

test('thema-pagina: alles van het thema, nieuwste eerst, met facetten', async (t) => {
  const page = await browser.page(t);
  const response = await page.goto('/themas/bibob');
  assert.equal(response.status(), 200);
  const vocab = await vocabulary(page);
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(), new RegExp(vocab.themes.bibob));
  const size = Math.max(1, (await resultIds(page)).length);
  const expected = await searchApi(page, { theme: 'bibob', sort: 'date', size });
  await waitForResults(page, expected.results.map((r) => r.id));
  assert.match(await page.title(), new RegExp(`${vocab.themes.bibob}.*${SUFFIX}$`));
  await facetCheckbox(page, 'Soort', TYPE_LABELS[expected.results[0].type]).waitFor();
  await assertPageBasics(page);

  // The same facet parameters as /zoeken.
  await page.goto('/themas/bibob?type=handreiking');
  const filtered = await searchApi(page, { theme: 'bibob', type: 'handreiking', sort: 'date', size });
  await waitForResults(page, filtered.results.map((r) => r.id));
});

test('werkplaats-pagina: alles van de werkplaats, nieuwste eerst', async (t) => {
  const page = await browser.page(t);
  const response = await page.goto('/werkplaatsen/poortwachters');
  assert.equal(response.status(), 200);
  const vocab = await vocabulary(page);
  assert.match(await page.getByRole('heading', { level: 1 }).innerText(),
    new RegExp(vocab.werkplaatsen.poortwachters));
  const size = Math.max(1, (await resultIds(page)).length);
  const expected = await searchApi(page, { werkplaats: 'poortwachters', sort: 'date', size });
  assert.ok(expected.total > 0);
  await waitForResults(page, expected.results.map((r) => r.id));
  await assertPageBasics(page);
});

test('onbekend thema of werkplaats: 404', async (t) => {
  const page = await browser.page(t);
  for (const path of ['/themas/bestaat-niet', '/werkplaatsen/bestaat-niet']) {
    const response = await page.goto(path);
    assert.equal(response.status(), 404, path);
  }
});

test('footerpagina\'s: toegankelijkheid, privacy, contact', async (t) => {
  const page = await browser.page(t, { path: '/' });
  for (const name of ['Toegankelijkheid', 'Privacy', 'Contact']) {
    await page.getByRole('contentinfo').getByRole('link', { name, exact: true }).click();
    await page.waitForURL(`**/${name.toLowerCase()}`);
    await assertPageBasics(page);
  }
});

test('404: Nederlandse pagina voor elk onbekend pad, JSON onder /api', async (t) => {
  const page = await browser.page(t);
  for (const path of ['/bestaat-niet', '/zoeken/extra', '/items/', '/static/bestaat-niet.css']) {
    const response = await page.goto(path);
    assert.equal(response.status(), 404, path);
    assert.match(response.headers()['content-type'], /^text\/html/, path);
    await page.getByRole('heading', { level: 1, name: 'Pagina niet gevonden' }).waitFor();
    await assertPageBasics(page);
  }
  const res = await page.request.get('/api/bestaat-niet');
  assert.equal(res.status(), 404);
  assert.match(res.headers()['content-type'], /application\/json/);
  assert.equal((await res.json()).error.code, 'route_not_found');
});

// The two nits seen in the screenshots: breadcrumb links in the portal's
// link colour (not the browser's blue), every "›" on the line of the link it
// precedes at 320 px, and metadata values broken only between words.
for (const viewport of ['desktop', 'narrow']) {
  test(`item: kruimelpad in de linkkleur, scheidingsteken bij zijn link, metadata breekt tussen woorden (${viewport})`, async (t) => {
    const page = await browser.page(t, { viewport, path: `/items/${ITEM}` });
    const crumbs = page.getByRole('navigation', { name: 'Kruimelpad' });
    const home = crumbs.getByRole('link', { name: 'Home', exact: true });
    assert.equal(await home.evaluate((a) => getComputedStyle(a).color), 'rgb(21, 66, 115)');
    const items = await crumbs.locator('li').evaluateAll((lis) => lis.map((li) => {
      const a = li.querySelector('a');
      const range = document.createRange();
      range.selectNodeContents(a);
      const firstLine = range.getClientRects()[0];
      const mark = getComputedStyle(li, '::before').content;
      return { mark, liTop: li.getBoundingClientRect().top, linkTop: firstLine.top,
        linkLeft: firstLine.left, liLeft: li.getBoundingClientRect().left };
    }));
    for (const [i, item] of items.entries()) {
      if (i === 0) continue;
      assert.equal(item.mark, '"›"');
      // The separator sits left of the link's first line, on that line.
      assert.ok(Math.abs(item.linkTop - item.liTop) < 12, `kruimel ${i}: link begint op de regel van ›`);
      assert.ok(item.linkLeft > item.liLeft, `kruimel ${i}: › staat voor de link`);
    }
    // No word of a metadata value is split over two lines.
    const splitWords = await page.getByRole('complementary', { name: 'Gegevens' }).locator('dd').evaluateAll((dds) => dds.flatMap((dd) => {
      const out = [];
      const walker = document.createTreeWalker(dd, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of node.textContent.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
      return out;
    }));
    assert.deepEqual(splitWords, []);
  });
}
