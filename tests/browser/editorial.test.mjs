// The editorial screens in the browser (issue 10, portal/editorial_pages.cc):
// an editor writes a new product (the live preview shows the rendered text
// and the writing aids while typing), saves it and submits it; the redactie
// approves it on the dashboard; an anonymous visitor finds it by search
// and downloads the attachment the editor added to the draft (live with
// the approval); the revision history shows the difference between two
// versions. Without JavaScript the
// "Voorbeeld bekijken" button renders the same preview on the server.
// Screenshots of the editor and the dashboard; axe and the 320 px check on
// every editorial page (the pages without an item are also rows in
// a11y.test.mjs).
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { test } from 'node:test';

import { ACCOUNTS, PASSWORD } from './support/accounts.mjs';
import {
  VIEWPORTS, api, assertNoPageErrors, fillLogin, useBrowser,
} from './support/browser.mjs';
import { assertNoAxeViolations } from './support/axe.mjs';
import { assertNoHorizontalScroll, assertPageBasics } from './support/checks.mjs';
import { screenshots } from './support/screenshots.mjs';

const browser = useBrowser();

const TITLE = 'Browsertest grutto-aanpak bij vastgoed';
const ID = 'browsertest-grutto-aanpak-bij-vastgoed';
const WORD = 'gruttoaanpak';

// axe at desktop width and at 320 px, where nothing may scroll sideways.
async function accessible(page, what) {
  await assertPageBasics(page);
  await assertNoAxeViolations(page, `${what}, desktop`);
  const original = page.viewportSize();
  await page.setViewportSize(VIEWPORTS.narrow);
  await assertNoHorizontalScroll(page);
  await assertNoAxeViolations(page, `${what}, 320 px`);
  await page.setViewportSize(original);
}

// A 1×1 PNG: attachments are typed by their content, not their name.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0, 0, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}

test('redactie: schrijven, voorbeeld, aanbieden, goedkeuren, vinden', async (t) => {
  // The editor writes a new product.
  const editor = await browser.page(t, { role: 'editor', path: '/' });
  const nav = editor.getByRole('navigation', { name: 'Hoofdnavigatie' });
  assert.equal(await nav.getByRole('link', { name: 'Redactie', exact: true }).count(), 0,
    'redacteuren zien geen link naar het redactiedashboard');
  await nav.getByRole('link', { name: 'Mijn concepten' }).click();
  await editor.waitForURL('**/redactie/concepten');
  await editor.getByRole('link', { name: 'Nieuw product' }).click();
  await editor.waitForURL('**/redactie/nieuw');
  await editor.getByLabel('Titel', { exact: true }).fill(TITLE);
  await editor.getByLabel('Samenvatting').fill('Hoe een gemeente de grutto-aanpak inzet.');
  await editor.getByLabel('Openbaar: iedereen, ook zonder in te loggen').check();
  await editor.getByRole('group', { name: "Thema's" }).getByLabel('Bibob', { exact: true }).check();
  await editor.getByLabel('Trefwoorden').fill('vastgoed, grutto');
  await editor.getByLabel('Tekst (Markdown)').fill(
    `## Wat is de ${WORD}?\n\nDe ${WORD} helpt gemeenten bij het *toetsen* van vastgoed. ` +
    'Lees ook [de oude handreiking](/items/bestaat-niet-meer). <u>Let op</u>.');
  // The live preview: rendered by the server, without a click.
  const preview = editor.locator('#voorbeeld-tekst');
  await preview.getByRole('heading', { name: `Wat is de ${WORD}?` }).waitFor();
  await preview.locator('em', { hasText: 'toetsen' }).waitFor();
  await editor.locator('#voorbeeld-hulp').getByText('/items/bestaat-niet-meer: bestaat niet').waitFor();
  await editor.locator('#voorbeeld-hulp').getByText(/^Taalniveau B1:/).waitFor();
  // What readers will not see is said, not dropped in silence.
  await editor.locator('#voorbeeld-hulp').getByText(/^HTML in de tekst wordt niet getoond/).waitFor();
  await editor.getByRole('button', { name: 'Concept aanmaken' }).click();
  await editor.waitForURL(`**/redactie/stukken/${ID}?melding=aangemaakt`);
  await editor.getByText('Het concept is aangemaakt.').waitFor();
  // The saved page renders the preview on the server too.
  await preview.getByRole('heading', { name: `Wat is de ${WORD}?` }).waitFor();
  await screenshots(editor, 'redactie-editor');
  await accessible(editor, 'editor');

  // A second save edits the text (revision 2), then the editor submits.
  const body = editor.getByLabel('Tekst (Markdown)');
  await body.fill(`${await body.inputValue()}\n\nEen tweede alinea over de ${WORD}.`);
  await editor.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await editor.getByText('Uw wijzigingen zijn opgeslagen.').waitFor();
  assert.equal(await editor.getByRole('button', { name: /Goedkeuren/ }).count(), 0,
    'redacteuren zien geen goedkeurknop');
  // The editor adds an attachment to the draft: it goes live with the approval.
  await editor.getByLabel('Bestand toevoegen').setInputFiles(
    { name: 'Kaart grutto.png', mimeType: 'image/png', buffer: png() });
  await editor.getByRole('button', { name: 'Bijlage uploaden' }).click();
  await editor.getByText('De bijlage is toegevoegd.').waitFor();
  const file = editor.locator('#bijlagen').getByRole('link', { name: 'Kaart-grutto.png', exact: true });
  const download = await editor.request.get(await file.getAttribute('href'));
  assert.equal(download.status(), 200);
  assert.equal(download.headers()['content-type'], 'image/png');
  const listed = await api(editor, `/api/documents/${ID}/attachments`);
  assert.deepEqual(listed.attachments.map((a) => [a.name, a.pending]), [['Kaart-grutto.png', true]]);
  // The version comparison shows no files (they belong to no revision): the
  // history page names the upload apart, as a change of the next approval.
  await editor.getByRole('link', { name: 'Versies en verschillen' }).click();
  const changes = editor.getByRole('region', { name: 'Bijlagen bij de volgende goedkeuring' });
  await changes.getByText('Kaart-grutto.png: nieuw').waitFor();
  await changes.scrollIntoViewIfNeeded();
  await screenshots(editor, 'redactie-versies-bijlage');
  await accessible(editor, 'versies met een nieuwe bijlage');
  await changes.getByRole('link', { name: 'Kaart-grutto.png' }).click();
  await editor.waitForURL(`**/redactie/stukken/${ID}#bijlage-Kaart-grutto.png`);
  // The file the link lands on stands out among the others.
  const landed = editor.locator('.kpo-files > li:target');
  assert.equal(await landed.count(), 1);
  assert.equal(await landed.evaluate((li) => getComputedStyle(li).backgroundColor), 'rgb(255, 242, 168)');

  await editor.getByRole('button', { name: 'Opslaan en ter beoordeling aanbieden' }).click();
  await editor.getByText('Het stuk is ter beoordeling aangeboden aan de redactie.').waitFor();
  await editor.getByRole('heading', { name: 'Status: ter beoordeling' }).waitFor();
  await editor.getByText(/^Het stuk ligt bij de redactie/).waitFor();

  // The redactie approves it on the dashboard.
  const redactie = await browser.page(t, { role: 'redactie', path: '/' });
  await redactie.getByRole('navigation', { name: 'Hoofdnavigatie' })
    .getByRole('link', { name: 'Redactie', exact: true }).click();
  await redactie.waitForURL('**/redactie');
  const queue = redactie.locator('section', { has: redactie.getByRole('heading', { name: 'Ter beoordeling' }) });
  const row = queue.locator(`#stuk-${ID}`);
  await row.getByRole('link', { name: TITLE }).waitFor();
  await row.getByText(ACCOUNTS.editor.email).waitFor();
  await screenshots(redactie, 'redactie-dashboard');
  await accessible(redactie, 'dashboard');
  await row.getByRole('button', { name: /^Goedkeuren en nu publiceren/ }).click();
  await redactie.getByText('Het stuk is goedgekeurd en gepubliceerd.').waitFor();
  await redactie.locator('section', { has: redactie.getByRole('heading', { name: 'Recent gepubliceerd' }) })
    .getByRole('link', { name: TITLE, exact: true }).waitFor();
  // The editor learns it on "Mijn concepten", without an e-mail.
  await editor.getByRole('navigation', { name: 'Hoofdnavigatie' })
    .getByRole('link', { name: 'Mijn concepten' }).click();
  const recent = editor.getByRole('region', { name: 'Recent gebeurd' }).getByRole('listitem').first();
  await recent.getByRole('heading', { name: TITLE }).waitFor();
  await recent.getByText('Goedgekeurd en gepubliceerd').waitFor();
  await screenshots(editor, 'redactie-recent');
  await accessible(editor, 'mijn concepten met recente stappen');
  await recent.getByRole('link', { name: TITLE }).click();
  await editor.waitForURL(`**/redactie/stukken/${ID}/versies#verloop`);
  await editor.goto(`/redactie/stukken/${ID}`);

  // An anonymous visitor finds it (the index follows within a second).
  const visitor = await browser.page(t, { path: `/zoeken?q=${WORD}` });
  for (let i = 0; i < 40; i++) {
    if (await visitor.getByRole('link', { name: TITLE }).count() > 0) break;
    await new Promise((r) => setTimeout(r, 250));
    await visitor.reload();
  }
  await visitor.getByRole('link', { name: TITLE }).click();
  await visitor.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await visitor.getByRole('region', { name: 'Bijlagen' })
    .getByRole('link', { name: 'Kaart-grutto.png' }).waitFor();
  const published = await visitor.request.get(`/api/documents/${ID}/attachments/Kaart-grutto.png`);
  assert.equal(published.status(), 200, 'de bijlage is met de goedkeuring gepubliceerd');

  // The redactie takes the published attachment down at once: the page asks
  // first, in place, with the focus on the confirmation.
  await redactie.goto(`/redactie/stukken/${ID}`);
  await redactie.locator('#bijlagen').getByRole('link', { name: 'Verwijderen Kaart-grutto.png' }).click();
  const confirm = redactie.getByRole('button', { name: 'Ja, Kaart-grutto.png verwijderen' });
  await confirm.waitFor();
  await redactie.getByText(/verdwijnt direct, ook voor lezers en uit de zoekresultaten/).waitFor();
  assert.equal(await confirm.evaluate((b) => b === document.activeElement), true,
    'de bevestiging krijgt de focus');
  await screenshots(redactie, 'redactie-bijlage-verwijderen');
  await accessible(redactie, 'bijlage verwijderen');
  await confirm.click();
  // The message is said where the change was made, and takes the focus.
  await redactie.locator('#bijlagen').getByText('De bijlage is verwijderd.').waitFor();
  assert.equal(await redactie.evaluate(() => document.activeElement.closest('#bijlagen') !== null),
    true, 'de melding bij de bijlagen krijgt de focus');
  await redactie.locator('#bijlagen').getByText('Dit stuk heeft geen bijlagen.').waitFor();
  const removed = await visitor.request.get(`/api/documents/${ID}/attachments/Kaart-grutto.png`);
  assert.equal(removed.status(), 404, 'de bijlage is direct weg, ook voor lezers');

  // The history: the difference between the first two versions.
  await editor.getByRole('link', { name: 'Versies en verschillen' }).click();
  await editor.getByLabel('Van versie').selectOption('1');
  await editor.getByLabel('Naar versie').selectOption('2');
  await editor.getByRole('button', { name: 'Vergelijken' }).click();
  await editor.waitForURL(/van=1&naar=2/);
  await editor.getByRole('heading', { name: 'Verschil tussen versie 1 en 2' }).waitFor();
  await editor.locator('.kpo-diff__line--added', { hasText: `Een tweede alinea over de ${WORD}.` }).waitFor();
  // The workflow's steps, newest first, each with who took it.
  const steps = editor.getByRole('region', { name: 'Verloop' }).getByRole('listitem');
  await steps.first().getByRole('heading', { name: 'Goedgekeurd en gepubliceerd' }).waitFor();
  await steps.nth(1).getByRole('heading', { name: 'Ter beoordeling aangeboden' }).waitFor();
  await steps.nth(1).getByText(ACCOUNTS.editor.email, { exact: false }).waitFor();
  await editor.getByRole('region', { name: 'Verloop' }).scrollIntoViewIfNeeded();
  await screenshots(editor, 'redactie-verloop');
  await accessible(editor, 'versies');
  for (const p of [editor, redactie, visitor]) assertNoPageErrors(p);
});

test('redactie: zonder JavaScript toont de knop het voorbeeld, met foutmeldingen bij de velden', async (t) => {
  const page = await browser.page(t, { role: 'editor', js: false, path: '/redactie/nieuw' });
  await page.getByLabel('Titel', { exact: true }).fill('');
  await page.getByLabel('Tekst (Markdown)').fill('## Kop zonder script\n\nTekst die blijft staan.');
  await page.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
  await page.locator('#voorbeeld-tekst').getByRole('heading', { name: 'Kop zonder script' }).waitFor();
  // Saving without a title: the summary at the top, the message at the field,
  // the text kept.
  await page.getByRole('button', { name: 'Concept aanmaken' }).click();
  await page.getByRole('heading', { name: 'Het stuk is niet opgeslagen. Verbeter:' }).waitFor();
  await page.getByRole('link', { name: 'Titel ontbreekt.' }).waitFor();
  assert.equal(await page.getByLabel('Titel', { exact: true }).getAttribute('aria-invalid'), 'true');
  assert.match(await page.getByLabel('Tekst (Markdown)').inputValue(), /Tekst die blijft staan\./);
});

// The reported data loss: a correction typed but not saved, then "Bijlage
// uploaden" or the submit button: the page reloaded with the old text and
// the old version went to the redactie. Now leaving asks first, and the
// submit button saves the typed text and submits that.
async function newDraft(page, title, body) {
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Samenvatting').fill('Een stuk om aan te bieden.');
  await page.getByRole('group', { name: "Thema's" }).getByLabel('Bibob', { exact: true }).check();
  await page.getByLabel('Tekst (Markdown)').fill(body);
  await page.getByRole('button', { name: 'Concept aanmaken' }).click();
  await page.getByText('Het concept is aangemaakt.').waitFor();
}

test('redactie: getypte tekst gaat niet verloren bij uploaden of aanbieden', async (t) => {
  const id = 'browsertest-correctie-voor-aanbieden';
  const page = await browser.page(t, { role: 'editor', path: '/redactie/nieuw' });
  await newDraft(page, 'Browsertest correctie voor aanbieden', 'Oude tekst met een fout.');
  const body = page.getByLabel('Tekst (Markdown)');
  const typed = 'Verbeterde tekst.\n\n| Fase | Wie |\n|---|---|\n| Signaal | *gemeente* |';
  await body.fill(typed);
  // The live preview renders the table; at 320 px it scrolls in its own box.
  await page.locator('#voorbeeld-tekst').getByRole('cell', { name: 'gemeente' }).waitFor();
  await screenshots(page, 'redactie-tabel');
  await page.setViewportSize(VIEWPORTS.narrow);
  await assertNoHorizontalScroll(page);
  await page.setViewportSize(VIEWPORTS.desktop);
  // Another form of the page asks first; "Annuleren" keeps the text.
  await page.getByLabel('Bestand toevoegen').setInputFiles(
    { name: 'kaart.png', mimeType: 'image/png', buffer: png() });
  const asked = new Promise((resolve) => page.once('dialog', async (d) => {
    resolve(d.message());
    await d.dismiss();
  }));
  await page.getByRole('button', { name: 'Bijlage uploaden' }).click();
  assert.match(await asked, /U heeft niet-opgeslagen wijzigingen/);
  assert.equal(await body.inputValue(), typed);
  assert.match(page.url(), /\?melding=aangemaakt$/, 'de pagina is niet herladen');
  // The submit button saves what was typed, then submits it.
  await page.getByRole('button', { name: 'Opslaan en ter beoordeling aanbieden' }).click();
  await page.getByText('Het stuk is ter beoordeling aangeboden aan de redactie.').waitFor();
  const doc = await api(page, `/api/documents/${id}`);
  assert.equal(doc.editorial.state, 'in_review');
  assert.equal(doc.editorial.draft.body, typed);
  assert.equal(await body.inputValue(), typed);
  assertNoPageErrors(page);
});

test('redactie: tekst die na het einde van de sessie werd verstuurd, komt terug', async (t) => {
  const id = 'browsertest-sessie-voorbij';
  const page = await browser.page(t, { role: 'editor', path: '/redactie/nieuw' });
  await newDraft(page, 'Browsertest sessie voorbij', 'Opgeslagen tekst.');
  const body = page.getByLabel('Tekst (Markdown)');
  const typed = 'Tekst getypt terwijl de sessie afliep.';
  await body.fill(typed);
  await page.getByLabel('Samenvatting').fill('Nieuwe samenvatting.');
  // The session ends (signed out in another tab, or idle too long).
  await page.context().clearCookies();
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await page.getByText('U was niet meer ingelogd.').waitFor();
  await fillLogin(page, ACCOUNTS.editor.email, PASSWORD);
  await page.waitForURL(`**/redactie/stukken/${id}`);
  assert.equal(await body.inputValue(), 'Opgeslagen tekst.', 'de pagina toont de opgeslagen versie');
  // The page offers the sent text back, and puts it in the form.
  await page.getByRole('button', { name: 'Tekst terugzetten' }).click();
  await page.getByText('Uw tekst staat weer in het formulier. Sla op om hem te bewaren.').waitFor();
  assert.equal(await body.inputValue(), typed);
  assert.equal(await page.getByLabel('Samenvatting').inputValue(), 'Nieuwe samenvatting.');
  await screenshots(page, 'redactie-tekst-terug');
  await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
  await page.getByText('Uw wijzigingen zijn opgeslagen.').waitFor();
  assert.equal((await api(page, `/api/documents/${id}`)).editorial.draft.body, typed);
  // Saved: nothing is offered any more.
  await page.goto(`/redactie/stukken/${id}`);
  await page.getByLabel('Tekst (Markdown)').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Tekst terugzetten' }).count(), 0);
  assertNoPageErrors(page);
});

test('redactie: zonder JavaScript biedt de knop de getypte tekst aan', async (t) => {
  const id = 'browsertest-aanbieden-zonder-script';
  const page = await browser.page(t, { role: 'editor', js: false, path: '/redactie/nieuw' });
  await newDraft(page, 'Browsertest aanbieden zonder script', 'Oude tekst.');
  await page.getByLabel('Tekst (Markdown)').fill('Nieuwe tekst zonder script.');
  await page.getByRole('button', { name: 'Opslaan en ter beoordeling aanbieden' }).click();
  await page.getByText('Het stuk is ter beoordeling aangeboden aan de redactie.').waitFor();
  const doc = await api(page, `/api/documents/${id}`);
  assert.equal(doc.editorial.state, 'in_review');
  assert.equal(doc.editorial.draft.body, 'Nieuwe tekst zonder script.');

  // Without scripts too: the redactie sends it back with a comment; the
  // editor reads it under "Recent gebeurd" and in the item's Verloop.
  const redactie = await browser.page(t, { role: 'redactie', js: false, path: '/redactie' });
  const row = redactie.locator(`#stuk-${id}`);
  await row.getByLabel(/^Opmerking voor de redacteur/).fill('Graag een bron erbij.');
  await row.getByRole('button', { name: /^Terugsturen met opmerking/ }).click();
  await redactie.getByText('Het stuk is teruggestuurd naar de redacteur, met uw opmerking.').waitFor();
  // 'blocked': the portal's scripts do not run (the server-rendered page),
  // while the test's own (axe, screenshots) can.
  const own = await browser.page(t, { role: 'editor', js: 'blocked', path: '/redactie/concepten' });
  const recent = own.getByRole('region', { name: 'Recent gebeurd' }).getByRole('listitem').first();
  await recent.getByText('Teruggestuurd', { exact: true }).waitFor();
  await recent.getByText('Graag een bron erbij.').waitFor();
  await screenshots(own, 'redactie-recent-zonder-script');
  await accessible(own, 'mijn concepten zonder script');
  await recent.getByRole('link', { name: 'Browsertest aanbieden zonder script' }).click();
  const steps = own.getByRole('region', { name: 'Verloop' }).getByRole('listitem');
  await steps.first().getByRole('heading', { name: 'Teruggestuurd' }).waitFor();
  await steps.first().getByText('Graag een bron erbij.').waitFor();
  await steps.nth(1).getByRole('heading', { name: 'Ter beoordeling aangeboden' }).waitFor();
  await own.getByRole('region', { name: 'Verloop' }).scrollIntoViewIfNeeded();
  await screenshots(own, 'redactie-verloop-zonder-script');
  await accessible(own, 'verloop zonder script');
  for (const p of [page, redactie, own]) assertNoPageErrors(p);
});

test('redactie: leden en anonieme bezoekers komen er niet in', async (t) => {
  const member = await browser.page(t, { role: 'gemeenten', path: '/' });
  assert.equal(await member.getByRole('link', { name: 'Mijn concepten' }).count(), 0);
  for (const path of ['/redactie', '/redactie/concepten', '/redactie/nieuw']) {
    const response = await member.goto(path);
    assert.equal(response.status(), 403, path);
    await member.getByRole('heading', { level: 1, name: 'Geen toegang' }).waitFor();
  }
  const anonymous = await browser.page(t, { path: '/redactie' });
  await anonymous.waitForURL(/\/inloggen\?next=%2Fredactie$/);
});
