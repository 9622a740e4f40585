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

// "2027-03-25T09:30" -> "do 25 maart 2027, 09:30" (the API's local time
// in the portal's words).
function dutchDateTime(local) {
  const days = ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'];
  const months = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
    'september', 'oktober', 'november', 'december'];
  const [, y, m, d, time] = local.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})$/);
  const weekday = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d))).getUTCDay();
  return `${days[weekday]} ${Number(d)} ${months[Number(m) - 1]} ${y}, ${time}`;
}

// The academy block lists the first three upcoming courses of
// /api/courses?upcoming=true as the same caller, in its order, each with its
// next session's date and free places; a course outside the caller's
// audience (the RIEC masterclass: riec, liec) never shows.
for (const role of [null, 'gemeenten']) {
  test(`home: komende cursussen van de academie met datum en vrije plaatsen (${role ?? 'anoniem'})`, async (t) => {
    const page = await browser.page(t, { path: '/', role });
    const res = await page.request.get('/api/courses?upcoming=true');
    assert.equal(res.status(), 200);
    const upcoming = (await res.json()).results.slice(0, 3);
    assert.ok(upcoming.length > 0, 'de inhoud heeft komende cursussen');
    const section = sectionWithHeading(page, 'Cursussen van de Academie');
    const cards = section.getByRole('listitem');
    assert.equal(await cards.count(), upcoming.length);
    for (const [i, course] of upcoming.entries()) {
      const card = cards.nth(i);
      const link = card.getByRole('link', { name: course.title, exact: true });
      assert.equal(await link.getAttribute('href'), `/academie/${course.id}`, course.id);
      const time = card.locator('time');
      assert.equal(await time.getAttribute('datetime'), course.next_session.start);
      assert.equal(await time.textContent(), dutchDateTime(course.next_session.start));
      const free = course.next_session.free;
      await card.getByText(free === 0 ? 'vol' : `${free} ${free === 1 ? 'plaats' : 'plaatsen'} vrij`,
        { exact: true }).waitFor();
    }
    assert.equal(await page.locator('a[href="/academie/cursus-masterclass-riec-analisten"]').count(), 0);
    const all = section.getByRole('link', { name: 'Alle cursussen van de Academie', exact: true });
    assert.equal(await all.getAttribute('href'), '/academie');
  });
}

test('home: thema\'s en werkplaatsen als ingangen', async (t) => {
  const page = await browser.page(t, { path: '/' });
  const main = page.getByRole('main');
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
