// Search page with JavaScript: facets updating in place with focus kept,
// the autocomplete combobox by keyboard, spelling correction, pagination
// and the back button, the phone layout. The search API, asked as the same
// caller, is the oracle for which items a page must list.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { assertNoPageErrors, useBrowser } from './support/browser.mjs';
import { assertFocused, assertPageBasics } from './support/checks.mjs';
import { screenshots } from './support/screenshots.mjs';
import {
  facetCheckbox, pagination, resultCard, resultIds, resultStatus, searchApi, searchBox, waitForResults,
  waitForTotal,
} from './support/portal.mjs';

const browser = useBrowser();

// How many results the portal shows per page: read from a first page that
// has more results than fit (the whole collection, 38 public items).
async function pageSize(page) {
  await page.goto('/zoeken?q=');
  const size = (await resultIds(page)).length;
  assert.ok(size > 0, 'de zoekpagina zonder zoekterm toont resultaten');
  return size;
}

test('zoeken: resultaten met aantal, soort, datum, snippet en titel per zoekopdracht', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=witwassen' });
  const expected = await searchApi(page, { q: 'witwassen' });
  assert.ok(expected.total > 0);
  const status = await waitForTotal(page, expected.total);
  assert.match(status, /witwassen/, 'de status noemt de zoekterm');
  assert.equal(await resultStatus(page).count(), 1, 'één status-element met het aantal');
  const live = await page.getByRole('main').locator('[aria-live]:not([role=status])')
    .filter({ has: page.getByRole('heading').getByRole('link') }).count();
  assert.equal(live, 0, 'de resultatenlijst zelf is geen live region');
  assert.equal(await searchBox(page).inputValue(), 'witwassen');
  await waitForResults(page, expected.results.map((r) => r.id));
  const first = expected.results[0];
  const card = resultCard(page, first.title);
  const typeLabel = { handreiking: 'Handreiking', product: 'Product', nieuws: 'Nieuws',
    cursus: 'Cursus', pagina: 'Pagina' }[first.type];
  await card.getByText(typeLabel, { exact: true }).waitFor();
  assert.ok(await card.locator('mark').count() > 0, 'snippet met <mark>');
  assert.match(await page.title(), /witwassen/, 'de titel noemt de zoekterm');
  await assertPageBasics(page);
  assertNoPageErrors(page);
});

test('zoeken: facet aanvinken ververst de resultaten zonder herladen en houdt de focus op het vinkje', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=ondermijning' });
  const all = await searchApi(page, { q: 'ondermijning' });
  const count = all.facets.type.handreiking;
  assert.ok(count > 0 && count < all.total, 'ondermijning heeft handreikingen en andere soorten');
  const size = (await resultIds(page)).length;
  const filtered = await searchApi(page, { q: 'ondermijning', type: 'handreiking', size });

  const checkbox = facetCheckbox(page, 'Soort', 'Handreiking');
  assert.match(await checkbox.evaluate((el) => el.labels[0]?.innerText ?? ''),
    new RegExp(`\\(${count}\\)`), 'het label draagt het aantal van de API');
  assert.equal(await checkbox.isChecked(), false);
  await page.evaluate(() => { window.kpoSamePage = true; });

  await checkbox.focus();
  await page.keyboard.press('Space');
  await page.waitForURL((url) => url.searchParams.getAll('type').join(',').includes('handreiking'));
  await waitForTotal(page, filtered.total);
  await waitForResults(page, filtered.results.map((r) => r.id));
  assert.equal(await page.evaluate(() => window.kpoSamePage), true, 'geen herlaadbeurt');
  await assertFocused(checkbox, 'het vinkje "Handreiking"');
  assert.equal(await checkbox.isChecked(), true);
  await page.getByRole('main').getByRole('button', { name: /^Verwijder filter Handreiking/ })
    .or(page.getByRole('main').getByRole('link', { name: /^Verwijder filter Handreiking/ })).first()
    .waitFor();

  // Back: the URL, the results and the checkbox return to the unfiltered state.
  await page.goBack();
  await page.waitForURL((url) => !url.searchParams.has('type'));
  await waitForTotal(page, all.total);
  assert.equal(await facetCheckbox(page, 'Soort', 'Handreiking').isChecked(), false);
  assertNoPageErrors(page);
});

test('zoeken: "Verwijder filter" en "Wis alle filters" halen filters weg, de zoekterm blijft', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=ondermijning&type=handreiking&year=2021' });
  const all = await searchApi(page, { q: 'ondermijning' });
  const main = page.getByRole('main');
  const remove = main.getByRole('button', { name: /^Verwijder filter Handreiking/ })
    .or(main.getByRole('link', { name: /^Verwijder filter Handreiking/ })).first();
  await remove.click();
  await page.waitForURL((url) => !url.searchParams.has('type') && url.searchParams.get('year') === '2021');
  await main.getByRole('link', { name: 'Wis alle filters' })
    .or(main.getByRole('button', { name: 'Wis alle filters' })).first().click();
  await page.waitForURL((url) => !url.searchParams.has('year') && url.searchParams.get('q') === 'ondermijning');
  await waitForTotal(page, all.total);
});

test('zoeken: sorteren op datum en een datumbereik tonen wat de API geeft', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=ondermijning&sort=date&from=2021-06-01&to=2022-12-31' });
  const size = Math.max(1, (await resultIds(page)).length);
  const expected = await searchApi(page,
    { q: 'ondermijning', sort: 'date', from: '2021-06-01', to: '2022-12-31', size });
  await waitForResults(page, expected.results.map((r) => r.id));
  const sort = page.getByLabel('Sorteren op');
  assert.equal(await sort.locator('option:checked').innerText(), 'Datum');
  assert.deepEqual(await sort.locator('option').allInnerTexts(), ['Relevantie', 'Datum']);
  assert.equal(await page.getByLabel('Vanaf').inputValue(), '2021-06-01');
  assert.equal(await page.getByLabel('Tot en met').inputValue(), '2022-12-31');
});

test('zoeken: sorteren op datum met JS ververst zonder herladen en houdt de focus op de keuzelijst', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=ondermijning' });
  const size = (await resultIds(page)).length;
  const byDate = await searchApi(page, { q: 'ondermijning', sort: 'date', size });
  await page.evaluate(() => { window.kpoSamePage = true; });
  const sort = page.getByLabel('Sorteren op');
  await sort.focus();
  await sort.selectOption({ label: 'Datum' });
  await page.waitForURL((url) => url.searchParams.get('sort') === 'date');
  await waitForResults(page, byDate.results.map((r) => r.id));
  assert.equal(await page.evaluate(() => window.kpoSamePage), true, 'geen herlaadbeurt');
  await assertFocused(page.getByLabel('Sorteren op'), 'de keuzelijst "Sorteren op"');
});

test('autocomplete: pijltjes, Escape en Enter kiezen een suggestie met het toetsenbord', async (t) => {
  const page = await browser.page(t, { path: '/' });
  const box = page.getByRole('combobox', { name: 'Zoekterm' }).first();
  await box.click();
  await box.pressSequentially('witw', { delay: 60 });
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await box.elementHandle());
  const listbox = page.locator(`[id="${await box.getAttribute('aria-controls')}"]`);
  assert.equal(await listbox.getAttribute('role'), 'listbox');
  const options = listbox.getByRole('option');
  await options.first().waitFor();
  assert.ok(await options.count() >= 2, 'minstens twee suggesties voor "witw"');

  const active = async () => {
    const id = await box.getAttribute('aria-activedescendant');
    return id ? page.locator(`[id="${id}"]`) : null;
  };
  await page.keyboard.press('ArrowDown');
  const first = await active();
  assert.ok(first, 'ArrowDown zet aria-activedescendant');
  assert.equal(await first.getAttribute('role'), 'option');
  assert.equal(await first.getAttribute('aria-selected'), 'true');
  const firstId = await first.getAttribute('id');
  await page.keyboard.press('ArrowDown');
  assert.notEqual(await (await active()).getAttribute('id'), firstId, 'tweede ArrowDown gaat verder');
  await page.keyboard.press('ArrowUp');
  assert.equal(await (await active()).getAttribute('id'), firstId, 'ArrowUp gaat terug');
  await assertFocused(box, 'het zoekveld (aria-activedescendant, focus blijft)');

  await page.keyboard.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false', 'Escape sluit de lijst');
  assert.equal(await listbox.isVisible(), false);

  // Reopen by typing, choose the first suggestion with Enter.
  await box.pressSequentially('a', { delay: 60 });
  await box.press('Backspace');
  await page.waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await box.elementHandle());
  await options.first().waitFor();
  await page.keyboard.press('ArrowDown');
  const chosen = (await (await active()).innerText()).trim();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/zoeken' && url.searchParams.get('q') === chosen);
  const expected = await searchApi(page, { q: chosen });
  await waitForTotal(page, expected.total);
  assertNoPageErrors(page);
});

test('spelling: een tikfout geeft "Resultaten voor …" en een link terug naar de oorspronkelijke zoekterm', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=witwassn' });
  const api = await searchApi(page, { q: 'witwassn' });
  assert.equal(api.corrected, true, 'de API verbetert witwassn');
  const main = page.getByRole('main');
  await main.getByText(/Resultaten voor\s*‘?witwassen/).first().waitFor();
  const back = main.getByRole('link', { name: /zoek in plaats daarvan naar\s*‘?witwassn’?$/ });
  await back.click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'witwassn');
  await resultStatus(page).filter({ hasText: /witwassn/ }).waitFor();
  assert.equal(await main.getByText(/Resultaten voor\s*‘?witwassen/).count(), 0,
    'na "zoek in plaats daarvan" wordt niet opnieuw verbeterd');
  assert.equal(await searchBox(page).inputValue(), 'witwassn');
});

test('spelling: een suggestie zonder verbetering is een link "Bedoelde u …?"', async (t) => {
  // "signale" finds items itself (its stem matches "signalen"), so it is not
  // corrected, but the far more frequent "signalen" is suggested.
  const page = await browser.page(t, { path: '/zoeken?q=signale' });
  const api = await searchApi(page, { q: 'signale' });
  assert.equal(api.corrected, false);
  assert.equal(api.suggestion, 'signalen');
  const main = page.getByRole('main');
  await main.getByText(/Bedoelde u/).first().waitFor();
  await main.getByRole('link', { name: /^signalen$/ }).first().click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'signalen');
});

test('naaste woorden: "Ook gezocht naar …" en een link die alleen het getypte woord zoekt', async (t) => {
  // "social" is in a few items and no Dutch word; "sociaal", one edit away,
  // is in more, so it is searched too (docs/search.md, "Close words").
  const page = await browser.page(t, { path: '/zoeken?q=social' });
  const wide = await searchApi(page, { q: 'social' });
  const typed = await searchApi(page, { q: 'social', spelling: 'off' });
  assert.deepEqual(wide.also_searched, ['sociaal']);
  assert.ok(wide.total > typed.total, 'met het naaste woord meer resultaten');
  await waitForTotal(page, wide.total);
  const main = page.getByRole('main');
  await main.getByText(/Ook gezocht naar\s*sociaal/).waitFor();
  await main.getByRole('link', { name: /^zoek alleen naar social$/ }).click();
  await page.waitForURL((url) => url.searchParams.get('spelling') === 'off');
  await waitForTotal(page, typed.total);
  assert.equal(await main.getByText(/Ook gezocht naar/).count(), 0,
    'na "zoek alleen naar" geen naaste woorden meer');
  assertNoPageErrors(page);
});

test('geen resultaten: status "0 resultaten voor …", tips en een link naar de thema\'s', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=xyzzyqwertz' });
  const status = await waitForTotal(page, 0);
  assert.match(status, /^0 resultaten voor.*xyzzyqwertz/);
  const themeLinks = await page.getByRole('main').locator('a[href^="/themas/"]').count();
  assert.ok(themeLinks > 0, 'links naar de thema\'s');
  await assertPageBasics(page);
});

test('paginering: naar de laatste pagina en met de terugknop terug', async (t) => {
  const page = await browser.page(t);
  const size = await pageSize(page);
  const everything = await searchApi(page, { q: '', size });
  const last = Math.ceil(everything.total / size);
  assert.ok(last >= 3, `minstens drie pagina's (${everything.total} items, ${size} per pagina)`);
  const nav = pagination(page);
  const current = async (n) => assert.equal(
    await nav.getByRole('link', { name: `Pagina ${n}`, exact: true }).getAttribute('aria-current'), 'page',
    `Pagina ${n} heeft aria-current="page"`);

  await current(1);
  assert.equal(await nav.getByRole('link', { name: 'Vorige', exact: true }).count(), 0, 'geen Vorige op pagina 1');
  await nav.getByRole('link', { name: `Pagina ${last}`, exact: true }).waitFor();

  await nav.getByRole('link', { name: 'Volgende', exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  await current(2);
  const second = await searchApi(page, { q: '', size, page: 2 });
  await waitForResults(page, second.results.map((r) => r.id));

  await pagination(page).getByRole('link', { name: `Pagina ${last}`, exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === String(last));
  await current(last);
  const lastPage = await searchApi(page, { q: '', size, page: last });
  assert.equal(lastPage.results.length, everything.total - (last - 1) * size);
  await waitForResults(page, lastPage.results.map((r) => r.id));
  assert.equal(await nav.getByRole('link', { name: 'Volgende', exact: true }).count(), 0,
    'geen Volgende op de laatste pagina');
  await nav.getByRole('link', { name: 'Vorige', exact: true }).waitFor();

  await page.goBack();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  await waitForResults(page, second.results.map((r) => r.id));
  await current(2);
});

test('paginering: elke pagina bereikbaar, een venster rond de huidige en "…"', async (t) => {
  // Redactie reads everything (71 items): enough pages for a window.
  const page = await browser.page(t, { role: 'redactie' });
  const size = await pageSize(page);
  const total = (await searchApi(page, { q: '', size })).total;
  const last = Math.ceil(total / size);
  const middle = Math.ceil(last / 2);
  await page.goto(`/zoeken?q=&page=${middle}`);
  const nav = pagination(page);
  for (const n of [1, middle - 1, middle, middle + 1, last]) {
    await nav.getByRole('link', { name: `Pagina ${n}`, exact: true }).waitFor();
  }
  if (last >= 7) await nav.getByText('…').first().waitFor();
});

test('telefoon: filters achter de knop "Filters", resultaten eerst', async (t) => {
  const page = await browser.page(t, { viewport: 'phone', path: '/zoeken?q=ondermijning' });
  const button = page.getByRole('button', { name: 'Filters', exact: true });
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.getByRole('group', { name: 'Soort', exact: true }).isVisible(), false,
    'facetten zijn ingeklapt');
  const firstResult = page.getByRole('main').getByRole('heading').getByRole('link').first();
  const box = await firstResult.boundingBox();
  assert.ok(box && box.y + box.height <= 844, `eerste resultaat zichtbaar zonder scrollen (y=${box?.y})`);
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.getByRole('group', { name: 'Soort', exact: true }).waitFor({ state: 'visible' });
  await assertFocused(button, 'de knop "Filters"');
});

test('telefoon: "Naar de filters" boven de resultaten vouwt ze open; op een breed scherm geen link', async (t) => {
  const page = await browser.page(t, { viewport: 'phone', path: '/zoeken?q=ondermijning&type=handreiking' });
  const jump = page.getByRole('link', { name: 'Naar de filters (1 actief)' });
  const firstResult = page.getByRole('main').getByRole('heading').getByRole('link').first();
  assert.ok((await jump.boundingBox()).y < (await firstResult.boundingBox()).y,
    'de link staat boven het eerste resultaat');
  const button = page.getByRole('button', { name: 'Filters', exact: true });
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await jump.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.getByRole('group', { name: 'Soort', exact: true }).waitFor({ state: 'visible' });
  await assertFocused(button, 'de knop "Filters"');
  // After a filter changes (the results are replaced) the link still works.
  await page.getByRole('checkbox', { name: /^Product/ }).check();
  await page.getByRole('link', { name: 'Naar de filters (2 actief)' }).waitFor();
  await page.getByRole('button', { name: 'Filters', exact: true }).click();
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  await page.getByRole('link', { name: 'Naar de filters (2 actief)' }).click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await assertFocused(button, 'de knop "Filters" na een wijziging');
  // Opened at #kpo-filters (the link's address without JavaScript), the
  // filters are unfolded.
  const atFilters = await browser.page(t, { viewport: 'phone', path: '/zoeken?q=ondermijning#kpo-filters' });
  assert.equal(await atFilters.getByRole('button', { name: 'Filters', exact: true }).getAttribute('aria-expanded'), 'true');
  await atFilters.getByRole('group', { name: 'Soort', exact: true }).waitFor({ state: 'visible' });
  // Beside the filters (a wide screen) there is nothing to jump to.
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.equal(await page.getByRole('link', { name: /^Naar de filters/ }).isVisible(), false);
});

test('telefoon: een datum met een fout blijft in beeld, met de focus erop', async (t) => {
  const page = await browser.page(t, { viewport: 'phone', path: '/zoeken?q=riec&from=2025-01-01&to=2023-01-01' });
  const button = page.getByRole('button', { name: 'Filters', exact: true });
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  const to = page.getByLabel('Tot en met');
  await page.getByText('‘Tot en met’ ligt vóór ‘Vanaf’. Kies een latere datum.').waitFor({ state: 'visible' });
  await assertFocused(to, 'het veld "Tot en met"');
  await screenshots(page, 'zoeken-datumfout');
});
