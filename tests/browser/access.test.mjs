// Signing in and out, and who sees what (docs/access.md): each role signs in
// through /inloggen and sees exactly the items its keys allow; a forbidden
// item answers the same 404 page as a missing one.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ACCOUNTS, PASSWORD } from './support/accounts.mjs';
import { fillLogin, loginAs, logout, useBrowser } from './support/browser.mjs';
import { resultCard, resultIds, sectionWithHeading } from './support/portal.mjs';

const browser = useBrowser();

// Items of content/ chosen for their access (front matter in brackets).
const PUBLIC = 'handreiking-bibob-beleid-gemeenten'; //            public
const MEMBERS = 'product-bronnenboek-ondermijning'; //             members
const POLICE = 'nieuws-oost-nederland-interventieweek-crystal-meth'; // restricted [politie, om], news of 2026
const GEMEENTEN = 'product-screening-integrale-beveiliging'; //    restricted [gemeenten]
const DRAFT = 'handreiking-afvalcriminaliteit-aanpak'; //           public, status draft, no werkplaats
const MISSING = 'bestaat-niet-en-nooit-geweest';

// Who may open which item (docs/access.md), per account key; 'anoniem' is
// not signed in. Everything not listed is a 404.
const READS = {
  anoniem: [PUBLIC],
  gemeenten: [PUBLIC, MEMBERS, GEMEENTEN],
  politie: [PUBLIC, MEMBERS, POLICE],
  editor: [PUBLIC, MEMBERS, GEMEENTEN],
  redactie: [PUBLIC, MEMBERS, POLICE, GEMEENTEN, DRAFT],
  academie: [PUBLIC, MEMBERS],
  admin: [PUBLIC, MEMBERS, DRAFT], // admin reads unpublished items (issue 10, the 'unpublished' key)
};
const ALL = [PUBLIC, MEMBERS, POLICE, GEMEENTEN, DRAFT];

// The "Alleen voor" label each restricted or members item carries.
const LABELS = {
  [MEMBERS]: 'Alleen voor leden',
  [POLICE]: 'Alleen voor: Politie, Openbaar Ministerie',
  [GEMEENTEN]: 'Alleen voor: Gemeenten',
};

const mainText = async (page) => (await page.getByRole('main').innerText()).trim();

for (const who of Object.keys(READS)) {
  test(`toegang: ${who} ziet precies de items die de rol mag lezen`, async (t) => {
    const page = await browser.page(t, { role: who === 'anoniem' ? null : who });
    const banner = page.getByRole('banner');
    if (who === 'anoniem') {
      await page.goto('/');
      await banner.getByRole('link', { name: 'Inloggen', exact: true }).waitFor();
    } else {
      const account = ACCOUNTS[who];
      await banner.getByText(account.name).waitFor();
      // The Dutch role name, e.g. "Ingelogd als Piet Politie (lid)".
      await banner.getByText(new RegExp(`\\b${account.roleLabel}\\b`)).first().waitFor();
      await banner.getByRole('button', { name: 'Uitloggen', exact: true }).waitFor();
      assert.equal(await banner.getByRole('link', { name: 'Inloggen', exact: true }).count(), 0);
    }

    await page.goto(`/items/${MISSING}`);
    const missing = await mainText(page);
    for (const id of ALL) {
      const response = await page.goto(`/items/${id}`);
      if (READS[who].includes(id)) {
        assert.equal(response.status(), 200, `${who} leest ${id}`);
        if (LABELS[id]) {
          await page.getByRole('main').getByText(LABELS[id], { exact: true }).first().waitFor();
        } else {
          assert.equal(await page.getByRole('main').getByText(/^Alleen voor/).count(), 0, `${id} is openbaar`);
        }
      } else {
        assert.equal(response.status(), 404, `${who} leest ${id} niet`);
        assert.equal(await mainText(page), missing, `${who}: ${id} geeft dezelfde 404 als een ontbrekend item`);
      }
    }
    if (who === 'anoniem') {
      // Signing in may give access: the 404 says so and links to the login page.
      await page.goto(`/items/${MEMBERS}`);
      await page.getByRole('main').getByRole('link', { name: 'Inloggen', exact: true }).waitFor();
    }
  });
}

test('toegang: alleen politie ziet het politie-item in "Nieuw voor u" en in de zoekresultaten', async (t) => {
  for (const who of ['politie', 'gemeenten', 'anoniem']) {
    const page = await browser.page(t, { role: who === 'anoniem' ? null : who, path: '/' });
    const section = sectionWithHeading(page, 'Nieuw voor u');
    await section.getByRole('link').first().waitFor();
    const onHome = await section.locator(`a[href="/items/${POLICE}"]`).count();
    assert.equal(onHome > 0, who === 'politie', `${who}: politie-item op de home`);

    await page.goto('/zoeken?q=crystal%20meth');
    await page.getByRole('main').getByRole('status').first().waitFor();
    assert.equal((await resultIds(page)).includes(POLICE), who === 'politie', `${who}: politie-item in de zoekresultaten`);
    if (who === 'politie') {
      await page.getByRole('main').locator(`a[href="/items/${POLICE}"]`).first().click();
      await page.getByRole('main').getByText('Alleen voor: Politie, Openbaar Ministerie', { exact: true }).first()
        .waitFor();
    }
  }
});

test('toegang: redactie ziet concepten en gearchiveerde items met hun label, anderen niet', async (t) => {
  const page = await browser.page(t, { role: 'redactie', path: '/zoeken?q=afvalcriminaliteit' });
  await resultCard(page, /^Handreiking afvalcriminaliteit/).getByText('Concept', { exact: true }).waitFor();
  await page.goto('/zoeken?q=Woo%20Wob');
  await resultCard(page, /^Per 1 mei 2022 vervangt de Woo de Wob/).getByText('Gearchiveerd', { exact: true })
    .waitFor();

  const anonymous = await browser.page(t, { path: '/zoeken?q=afvalcriminaliteit' });
  await anonymous.getByRole('main').getByRole('status').first().waitFor();
  assert.equal((await resultIds(anonymous)).includes(DRAFT), false, 'anoniem ziet het concept niet');
});

test('uitloggen: de knop in de header beëindigt de sessie', async (t) => {
  const page = await browser.page(t, { role: 'gemeenten' });
  assert.equal((await page.goto(`/items/${MEMBERS}`)).status(), 200);
  await logout(page);
  assert.equal(await page.getByRole('banner').getByText(ACCOUNTS.gemeenten.name).count(), 0);
  assert.equal((await page.goto(`/items/${MEMBERS}`)).status(), 404, 'na uitloggen geen ledenitem meer');
  const me = await page.request.get('/api/auth/me');
  assert.equal(me.status(), 401, 'de sessie is echt weg');
});

test('inloggen: na inloggen terug naar een veilige "next", nooit naar een andere site', async (t) => {
  const page = await browser.page(t);
  await loginAs(page, 'gemeenten', { next: `/items/${MEMBERS}` });
  assert.equal(new URL(page.url()).pathname, `/items/${MEMBERS}`);

  const other = await browser.page(t);
  for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
    await other.goto(`/inloggen?next=${encodeURIComponent(next)}`);
    await fillLogin(other, ACCOUNTS.politie.email, PASSWORD);
    await other.waitForURL((url) => url.pathname !== '/inloggen');
    assert.equal(new URL(other.url()).origin, new URL(page.url()).origin, `next=${next}`);
    await logout(other);
  }
});

test('inloggen: fout wachtwoord geeft een duidelijke Nederlandse fout en houdt het e-mailadres', async (t) => {
  const page = await browser.page(t, { path: '/inloggen' });
  await fillLogin(page, ACCOUNTS.academie.email, 'fout-wachtwoord');
  await page.getByRole('main').getByText('Onjuist e-mailadres of wachtwoord.').waitFor();
  assert.equal(await page.getByRole('main').getByLabel(/e-?mail/i).inputValue(), ACCOUNTS.academie.email);
  assert.equal(await page.getByRole('main').getByLabel(/wachtwoord/i).inputValue(), '', 'wachtwoord niet teruggestuurd');
  assert.match(await page.title(), /^Fout: Inloggen/, 'de titel zegt dat er iets mis is');
});

test('inloggen: te veel pogingen noemt de wachttijd in minuten', async (t) => {
  const page = await browser.page(t, { path: '/inloggen' });
  // An address nobody has: the per-account limit (5) trips without locking a test account.
  const email = 'niemand@test.kpo.nl';
  for (let i = 0; i < 6; i++) {
    await fillLogin(page, email, `fout-${i}`);
    await page.getByRole('main').getByText(/Onjuist e-mailadres of wachtwoord\.|Te veel pogingen/).first().waitFor();
    // The answer is in when the form is back with an empty password field.
    await page.waitForFunction(() => [...document.querySelectorAll('main input[type=password]')]
      .every((el) => el.value === ''));
  }
  const message = await page.getByRole('main').getByText(/Te veel pogingen/).first().innerText();
  assert.match(message, /\d+ minuten?/, `wachttijd in minuten: "${message}"`);
});

test('sessie: een waarschuwing vóór de sessie verloopt, "Ingelogd blijven" verlengt (JS)', async (t) => {
  const page = await browser.page(t, { role: 'gemeenten' });
  // A fake clock in the page: 30 minutes of idleness pass in a moment. The
  // server's clock does not move, so the session itself stays valid.
  await page.clock.install();
  await page.goto('/');
  const alert = page.getByRole('alert').filter({ hasText: /sessie verloopt/i });
  assert.equal(await alert.count(), 0, 'geen waarschuwing direct na het laden');
  await page.clock.fastForward('29:00');
  await alert.waitFor();
  assert.match(await alert.innerText(), /\d+ minuten?/, 'de waarschuwing noemt de resterende tijd');
  await alert.getByRole('button', { name: 'Ingelogd blijven' }).click();
  await alert.waitFor({ state: 'detached' });
  assert.equal((await page.request.get('/api/auth/me')).status(), 200, 'nog ingelogd');
});
