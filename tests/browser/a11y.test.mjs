// Accessibility of every page and state: axe-core with zero violations at
// desktop width and at 320 px, plus what axe cannot see (one h1, headings
// in order, landmarks, a unique title per page, no sideways scrolling at
// 320 px). New screens add a row to STATES.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ACCOUNTS } from './support/accounts.mjs';
import { VIEWPORTS, fillLogin, useBrowser } from './support/browser.mjs';
import { assertNoAxeViolations } from './support/axe.mjs';
import {
  TitleRegistry, assertNoHorizontalScroll, assertPageBasics, focusRing,
} from './support/checks.mjs';
import { facetCheckbox, resultStatus } from './support/portal.mjs';

const browser = useBrowser();
const titles = new TitleRegistry();

const POLICE = 'nieuws-oost-nederland-interventieweek-crystal-meth';
const COURSE = 'cursus-bibob-basiscursus';

// name, how to open it, what to do there, and the page it is (the title
// key: states of one page share their title, different pages may not).
//   js: 'blocked' scans the server-rendered page without the portal's
//   scripts, i.e. what a visitor without JavaScript gets.
const STATES = [
  { name: 'home', path: '/', page: 'home' },
  { name: 'home zonder JS', path: '/', js: 'blocked', page: 'home' },
  { name: 'home als politie', role: 'politie', path: '/', page: 'home' },
  { name: 'zoeken', path: '/zoeken?q=witwassen', page: 'zoeken witwassen' },
  { name: 'zoeken zonder JS', path: '/zoeken?q=witwassen', js: 'blocked', page: 'zoeken witwassen' },
  { name: 'zoeken alles, pagina 2', path: '/zoeken?q=&page=2', page: 'zoeken' },
  {
    name: 'zoeken met facet aangevinkt',
    path: '/zoeken?q=ondermijning',
    page: 'zoeken ondermijning',
    async act(page) {
      await facetCheckbox(page, 'Soort', 'Handreiking').check();
      await page.waitForURL(/type=handreiking/);
      await resultStatus(page).waitFor();
    },
  },
  {
    name: 'autocomplete open',
    path: '/zoeken?q=',
    page: 'zoeken',
    async act(page) {
      const box = page.getByRole('combobox', { name: 'Zoekterm' }).first();
      await box.pressSequentially('bib', { delay: 60 });
      await page.getByRole('option').first().waitFor();
      await page.keyboard.press('ArrowDown');
    },
  },
  { name: 'spellingscorrectie', path: '/zoeken?q=witwassn', page: 'zoeken witwassn' },
  { name: 'bedoelde u', path: '/zoeken?q=bibob%20vastgoedd', page: 'zoeken bibob vastgoedd' },
  { name: 'ook gezocht naar', path: '/zoeken?q=social', page: 'zoeken social' },
  { name: 'ook gezocht naar zonder JS', path: '/zoeken?q=social', js: 'blocked', page: 'zoeken social' },
  { name: 'geen resultaten', path: '/zoeken?q=xyzzyqwertz', page: 'zoeken xyzzyqwertz' },
  { name: 'concept en gearchiveerd (redactie)', role: 'redactie', path: '/zoeken?q=afvalcriminaliteit%20OR%20woo',
    page: 'zoeken afvalcriminaliteit OR woo' },
  { name: 'item', path: '/items/handreiking-bibob-beleid-gemeenten', page: 'item bibob-beleid' },
  { name: 'item zonder JS', path: '/items/handreiking-bibob-beleid-gemeenten', js: 'blocked',
    page: 'item bibob-beleid' },
  { name: 'item alleen voor politie', role: 'politie', path: `/items/${POLICE}`, page: 'item crystal meth' },
  { name: 'item 404 (anoniem)', path: `/items/${POLICE}`, page: '404' },
  { name: 'thema', path: '/themas/bibob', page: 'thema bibob' },
  { name: 'werkplaats', path: '/werkplaatsen/poortwachters', page: 'werkplaats poortwachters' },
  { name: 'inloggen', path: '/inloggen', page: 'inloggen' },
  {
    name: 'inloggen met fout',
    path: '/inloggen',
    page: 'inloggen',
    async act(page) {
      await fillLogin(page, ACCOUNTS.academie.email, 'fout-wachtwoord');
      await page.getByText('Onjuist e-mailadres of wachtwoord.').waitFor();
    },
  },
  // A form sent after the session ended (page_forms.h WithForm).
  { name: 'inloggen na einde sessie', path: '/inloggen?next=%2Fredactie&verlopen=1', page: 'inloggen' },
  {
    name: 'inloggen na einde sessie zonder JS',
    path: '/inloggen?next=%2Fredactie&verlopen=1',
    js: 'blocked',
    page: 'inloggen',
  },
  {
    // A portal form too large to take: the portal's page, not JSON.
    name: 'te groot om te versturen',
    path: '/contact',
    page: 'te groot',
    async act(page) {
      await page.evaluate(() => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/redactie/nieuw';
        const body = document.createElement('textarea');
        body.name = 'body';
        body.value = 'a'.repeat(1200000);
        form.append(body);
        document.body.append(form);
        form.submit();
      });
      await page.getByRole('heading', { name: 'Te groot om te versturen' }).waitFor();
    },
  },
  { name: 'toegankelijkheid', path: '/toegankelijkheid', page: 'toegankelijkheid' },
  { name: 'privacy', path: '/privacy', page: 'privacy' },
  { name: 'contact', path: '/contact', page: 'contact' },
  { name: 'onbekende pagina', path: '/bestaat/niet', page: '404' },
  // The academy (issue 11).
  { name: 'academie', path: '/academie', page: 'academie' },
  { name: 'academie met filters (gemeenten)', role: 'gemeenten',
    path: '/academie?theme=bibob&upcoming=1&from=2027-01-01', page: 'academie' },
  { name: 'academie, foute filter', path: '/academie?format=hologram', page: 'academie' },
  { name: 'cursus (anoniem)', path: `/academie/${COURSE}`, page: 'cursus' },
  { name: 'cursus zonder JS', path: `/academie/${COURSE}`, js: 'blocked', page: 'cursus' },
  { name: 'cursus (gemeenten)', role: 'gemeenten', path: `/academie/${COURSE}`, page: 'cursus' },
  { name: 'cursus (academiebeheer)', role: 'academie', path: `/academie/${COURSE}`, page: 'cursus' },
  { name: 'mijn inschrijvingen', role: 'gemeenten', path: '/mijn-inschrijvingen', page: 'mijn inschrijvingen' },
  { name: 'nieuwe cursus', role: 'academie', path: '/academie/nieuw', page: 'nieuwe cursus' },
  { name: 'cursus bewerken', role: 'academie', path: `/academie/${COURSE}/bewerken`, page: 'cursus bewerken' },
  { name: 'nieuwe sessie', role: 'academie', path: `/academie/${COURSE}/sessies/nieuw`, page: 'nieuwe sessie' },
  // The editorial pages (issue 10); the pages of one item are scanned in
  // editorial.test.mjs.
  { name: 'mijn concepten', role: 'editor', path: '/redactie/concepten', page: 'mijn concepten' },
  { name: 'nieuw product', role: 'editor', path: '/redactie/nieuw', page: 'nieuw product' },
  { name: 'nieuw product zonder JS', role: 'editor', path: '/redactie/nieuw', js: 'blocked', page: 'nieuw product' },
  { name: 'redactiedashboard', role: 'redactie', path: '/redactie', page: 'redactie' },
];

for (const state of STATES) {
  test(`a11y: ${state.name}`, async (t) => {
    const page = await browser.page(t, { role: state.role ?? null, js: state.js ?? true });
    await page.goto(state.path);
    if (state.act) await state.act(page);
    await titles.check(page, state.page);
    await assertPageBasics(page);
    await assertNoAxeViolations(page, `${state.name}, desktop`);

    await page.setViewportSize(VIEWPORTS.narrow);
    await assertNoHorizontalScroll(page);
    await assertNoAxeViolations(page, `${state.name}, 320 px`);
  });
}

test('a11y: filters uitgeklapt op 320 px', async (t) => {
  const page = await browser.page(t, { viewport: 'narrow', path: '/zoeken?q=ondermijning' });
  const button = page.getByRole('button', { name: 'Filters', exact: true });
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.getByRole('group', { name: 'Soort', exact: true }).waitFor({ state: 'visible' });
  await assertNoHorizontalScroll(page);
  await assertNoAxeViolations(page, 'filters uitgeklapt, 320 px');
});

test('a11y: zichtbare focus met 3:1 contrast op links, knoppen en velden', async (t) => {
  const page = await browser.page(t, { path: '/zoeken?q=witwassen' });
  // Tab through the first stops (header, search form, filters); each focused
  // element draws an outline or box shadow (2.4.7) of at least 3:1 against
  // the background behind it (1.4.11).
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('Tab');
    const ring = await focusRing(page);
    if (ring === null) continue;
    assert.ok(ring.visible, `focus op ${ring.what} is zichtbaar (outline ≥ 2px of box-shadow)`);
    assert.ok(ring.contrast >= 3, `focusring op ${ring.what}: contrast ${ring.contrast.toFixed(2)}:1, verwacht ≥ 3:1`);
  }
});

test('a11y: 200 % zoom (640 px breed) zonder horizontaal scrollen', async (t) => {
  // A 1280 px window at 200 % zoom lays pages out at 640 CSS px (1.4.4).
  const page = await browser.page(t, { role: 'politie' });
  await page.setViewportSize({ width: 640, height: 400 });
  for (const path of ['/', '/zoeken?q=bibob', '/items/handreiking-bibob-beleid-gemeenten', '/themas/bibob',
    '/inloggen', '/toegankelijkheid']) {
    await page.goto(path);
    await assertNoHorizontalScroll(page);
  }
});
