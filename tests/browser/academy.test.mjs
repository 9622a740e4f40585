// The academy in the browser (issue 11): the catalogue with its filters
// (the API is the oracle), a manager who creates a course and a session of
// one place through the forms, a member who takes that place, the next
// member (without JavaScript) who gets waiting-list place 1 and is promoted
// when the first cancels, "Mijn inschrijvingen" with its calendar links;
// screenshots of the catalogue and a course page. The academy's pages are
// scanned with axe at desktop width and 320 px in a11y.test.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ACCOUNTS } from './support/accounts.mjs';
import { api, assertNoPageErrors, useBrowser } from './support/browser.mjs';
import { assertNoAxeViolations } from './support/axe.mjs';
import { assertFocused } from './support/checks.mjs';
import { screenshots } from './support/screenshots.mjs';

const browser = useBrowser();

const COURSE = 'cursus-bibob-basiscursus';
const NEW_TITLE = 'Browsertest kievit-training';
const NEW_ID = 'browsertest-kievit-training';

// A local time `days` from now at `hour`:00, as a datetime-local field
// takes it (the session must lie after today's deadline).
function localTime(days, hour) {
  const d = new Date(Date.now() + days * 86400000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

function session(page, start) {
  return page.locator('.kpo-session', { has: page.locator(`time[datetime="${start}"]`) });
}

test('academie: catalogus met filters en volgende data, zoals de API', async (t) => {
  const page = await browser.page(t, { path: '/' });
  await page.getByRole('navigation', { name: 'Hoofdnavigatie' })
    .getByRole('link', { name: 'Academie', exact: true }).click();
  await page.waitForURL('**/academie');
  const all = await api(page, '/api/courses');
  const cards = page.locator('.kpo-course');
  assert.equal(await cards.count(), all.total);
  await page.getByRole('status').getByText(`${all.total} cursussen`).waitFor();
  const first = all.results[0];
  const card = cards.first();
  await card.getByRole('link', { name: first.title, exact: true }).waitFor();
  assert.equal(await card.locator('time').getAttribute('datetime'), first.next_session.start);

  // The filter form is a plain GET form: its address is the filter.
  await page.getByLabel('Vorm', { exact: true }).selectOption('webinar');
  await page.getByLabel('Alleen met vrije plaatsen').check();
  await page.getByRole('button', { name: 'Filters toepassen' }).click();
  await page.waitForURL(/format=webinar/);
  const webinars = await api(page, '/api/courses?format=webinar&free=1');
  assert.equal(await cards.count(), webinars.total);
  for (const c of webinars.results) await cards.getByRole('link', { name: c.title, exact: true }).waitFor();
  assert.equal(await page.getByLabel('Vorm', { exact: true }).inputValue(), 'webinar');

  await page.goto('/academie');
  await screenshots(page, 'academie-catalogus');
  assertNoPageErrors(page);
});

test('academie: vol, wachtlijst en doorschuiven via de formulieren', async (t) => {
  const start = localTime(40, 10);
  // The manager creates a course and a session of one place.
  const manager = await browser.page(t, { role: 'academie', path: '/academie' });
  await manager.getByRole('link', { name: 'Nieuwe cursus aanmaken' }).click();
  // The browser checks the id's pattern itself (a pattern it cannot compile
  // is ignored, with only a console warning).
  const idField = manager.getByLabel('Id in het adres (niet verplicht)');
  await idField.fill('Mijn Cursus!');
  assert.equal(await idField.evaluate((el) => el.validity.patternMismatch), true);
  await idField.fill('');
  await manager.getByLabel('Titel', { exact: true }).fill(NEW_TITLE);
  // With one very long word (a link someone pasted): cut, not the page widened.
  await manager.getByLabel('Samenvatting').fill(
    `Een cursus met één plaats, voor de browsertest. https://example.nl/${'aanmelden'.repeat(40)}`);
  await manager.getByLabel('Bibob', { exact: true }).check();
  await manager.getByLabel('Vorm').selectOption('klassikaal');
  await manager.getByRole('button', { name: 'Opslaan' }).click();
  await manager.waitForURL(`**/academie/${NEW_ID}?melding=cursus-opgeslagen`);
  await manager.getByText('De cursus is opgeslagen.').waitFor();
  await manager.getByRole('link', { name: 'Sessie toevoegen' }).click();
  const sessionId = manager.getByLabel('Id van de sessie');
  await sessionId.fill('Proef 1');
  assert.equal(await sessionId.evaluate((el) => el.validity.patternMismatch), true);
  await sessionId.fill('proef');
  await manager.getByLabel('Begint').fill(start);
  await manager.getByLabel('Eindigt').fill(`${start.slice(0, 11)}12:00`);
  await manager.getByLabel('Locatie of online link').fill('Stadskantoor, Utrecht');
  await manager.getByLabel('Aantal plaatsen').fill('1');
  await manager.getByRole('button', { name: 'Opslaan' }).click();
  await manager.getByText('De sessie is opgeslagen.').waitFor();
  await session(manager, start).getByText('1 plaats vrij').waitFor();
  // Each session's capacity field and button name that session, not only
  // "Aantal plaatsen" / "Aanpassen" once per session.
  await session(manager, start).getByRole('spinbutton', { name: /^Aantal plaatsen van \S/ }).waitFor();
  await session(manager, start).getByRole('button', { name: /^Aanpassen voor \S/ }).waitFor();

  // The first member takes the one place.
  const first = await browser.page(t, { role: 'gemeenten', path: `/academie/${NEW_ID}` });
  for (const width of [1280, 320]) {
    await first.setViewportSize({ width, height: 800 });
    assert.ok(await first.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      `geen horizontale scrollbalk op ${width} px`);
  }
  await first.setViewportSize({ width: 1280, height: 800 });
  await session(first, start).getByRole('button', { name: /^Inschrijven/ }).click();
  // The outcome is said in the session's entry, in view where the button was.
  const enrolled = session(first, start).getByRole('status');
  await enrolled.getByText('U bent ingeschreven.').waitFor();
  assert.ok(await enrolled.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  }), 'de melding staat in beeld');
  await screenshots(first, 'academie-ingeschreven');
  assert.match(await session(first, start).locator('dd.kpo-places').textContent(), /^vol /);

  // The next member, without JavaScript, gets waiting-list place 1.
  const next = await browser.page(t, { role: 'politie', js: false, path: `/academie/${NEW_ID}` });
  await session(next, start).getByRole('button', { name: /^Op de wachtlijst/ }).click();
  await next.getByText('De sessie is vol: u staat op de wachtlijst.').waitFor();
  await session(next, start).getByText('U staat op de wachtlijst: plaats 1.').waitFor();
  const waiting = await api(next, `/api/courses/${NEW_ID}`);
  assert.deepEqual(waiting.course.sessions[0].mine, { status: 'waiting', position: 1 });

  // The first cancels, after a question in place that takes the focus: the
  // waiting member holds the place at once.
  await session(first, start).getByRole('link', { name: /^Uitschrijven/ }).click();
  const confirm = session(first, start).getByRole('button', { name: /^Ja, uitschrijven/ });
  await first.getByText(/^Uitschrijven\? Uw plaats gaat direct naar de eerste op de wachtlijst/).waitFor();
  await assertFocused(confirm, 'de knop "Ja, uitschrijven"');
  await assertNoAxeViolations(first, 'vraag bij uitschrijven');
  await screenshots(first, 'academie-uitschrijven-vraag');
  await confirm.click();
  await first.getByText('U bent uitgeschreven.').waitFor();
  await next.reload();
  await session(next, start).getByText('U bent ingeschreven.').waitFor();
  assert.equal(await next.getByText('wachtlijst: plaats').count(), 0);

  // Their enrolments, with the calendar links.
  await next.getByRole('navigation', { name: 'Hoofdnavigatie' })
    .getByRole('link', { name: 'Mijn inschrijvingen' }).click();
  const row = next.locator('.kpo-session', { hasText: NEW_TITLE });
  await row.getByText('Ingeschreven', { exact: true }).waitFor();
  // The link beside a place holds that session alone.
  assert.equal(await row.getByRole('link', { name: /In mijn agenda zetten/ }).getAttribute('href'),
    `/api/courses/${NEW_ID}.ics?sessie=proef`);
  await next.getByRole('button', { name: 'Nieuwe agenda-link maken' }).click();
  const feed = await next.getByLabel('Agenda-link').inputValue();
  assert.match(feed, /^http:\/\/127\.0\.0\.1:\d+\/api\/calendar\/[A-Za-z0-9_-]+\.ics$/);
  const ics = await next.request.get(feed);
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), new RegExp(`SUMMARY:${NEW_TITLE}`));

  // The manager sees who holds the place, and the export.
  await manager.reload();
  const csv = session(manager, start).getByRole('link', { name: /Deelnemerslijst \(CSV\)/ });
  const response = await manager.request.get(await csv.getAttribute('href'));
  assert.equal(response.status(), 200);
  assert.match(await response.text(), new RegExp(ACCOUNTS.politie.email));

  // Screenshots need JavaScript in the page (support/screenshots.mjs).
  const mine = await browser.page(t, { role: 'politie', path: '/mijn-inschrijvingen' });
  await screenshots(mine, 'academie-mijn-inschrijvingen');
  await first.goto(`/academie/${COURSE}`);
  await screenshots(first, 'academie-cursus');
  await manager.goto(`/academie/${COURSE}`);
  await screenshots(manager, 'academie-cursus-beheer');
  for (const p of [manager, first]) assertNoPageErrors(p);
});

test('academie: fouten in de formulieren staan bij hun veld en in een samenvatting', async (t) => {
  // Without JavaScript: the summary and the marks come from the server.
  const page = await browser.page(t, { role: 'academie', js: false, path: '/academie/nieuw' });
  // Past the browser's own checks (required), as a browser without them.
  await page.locator('form.kpo-form').evaluate((f) => { f.noValidate = true; });
  // The language is a choice of the academy's languages, by name.
  assert.deepEqual(await page.getByLabel('Taal', { exact: true }).locator('option').allTextContents(),
    ['Nederlands', 'Engels', 'Duits', 'Frans']);
  await page.getByRole('button', { name: 'Opslaan' }).click();
  const summary = page.locator('#fouten');
  await summary.getByText('De cursus is niet opgeslagen. Verbeter:').waitFor();
  // Every problem at once, each linked to its field.
  assert.equal(await summary.getByRole('link', { name: 'Titel ontbreekt.' }).getAttribute('href'),
    '#title');
  const title = page.getByLabel('Titel', { exact: true });
  assert.equal(await title.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(`#${await title.getAttribute('aria-describedby')}`).textContent(),
    'Titel ontbreekt.');

  // A session that ends before it starts.
  await page.goto(`/academie/${COURSE}/sessies/nieuw`);
  await page.getByLabel('Id van de sessie').fill('browsertest-omgekeerd');
  await page.getByLabel('Begint').fill(localTime(40, 13));
  await page.getByLabel('Eindigt').fill(localTime(40, 12));
  await page.getByLabel('Locatie of online link').fill('Utrecht');
  await page.getByLabel('Aantal plaatsen').fill('10');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  const link = page.locator('#fouten').getByRole('link', { name: 'Eindigt: kies een moment na het begin.' });
  assert.equal(await link.getAttribute('href'), '#end');
  const end = page.getByLabel('Eindigt');
  assert.equal(await end.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#end-fout').textContent(), 'Eindigt: kies een moment na het begin.');
  assert.match(await end.getAttribute('aria-describedby'), /\bend-fout\b/);
  assert.equal(await page.getByLabel('Begint').getAttribute('aria-invalid'), null);
  assertNoPageErrors(page);
});
