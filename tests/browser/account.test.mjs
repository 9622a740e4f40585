// "Mijn account" and the second factor (issue 13, auth): a member enrols
// TOTP with the code an authenticator app would show (computed here with
// node's HMAC, RFC 6238), signs out, signs in again with password and code,
// sees the session list and signs out everywhere. axe-clean, screenshots.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';

import { ACCOUNTS, PASSWORD } from './support/accounts.mjs';
import { assertNoAxeViolations } from './support/axe.mjs';
import {
  SUFFIX, VIEWPORTS, assertNoPageErrors, fillLogin, logout, useBrowser,
} from './support/browser.mjs';
import { assertNoHorizontalScroll } from './support/checks.mjs';
import { screenshots } from './support/screenshots.mjs';

const browser = useBrowser();

// RFC 4648 base32 (spaces ignored) to bytes.
function fromBase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/\s+/g, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) at unix time `seconds`.
function totp(secret, seconds) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = crypto.createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

test('RFC 6238 vector: the helper computes what an app shows', () => {
  assert.equal(totp(Buffer.from('12345678901234567890'), 59), '287082');
  assert.equal(totp(Buffer.from('12345678901234567890'), 1111111109), '081804');
});

test('a member enrols TOTP, signs in with a code and signs out everywhere', async (t) => {
  const account = ACCOUNTS.tweestaps;
  const page = await browser.page(t, { role: 'tweestaps', path: '/account' });
  const main = page.getByRole('main');
  assert.equal(await page.title(), `Mijn account${SUFFIX}`);
  await main.getByText('Tweestapsverificatie staat uit.').waitFor();
  await assertNoAxeViolations(page, 'Mijn account, tweestaps uit');
  await screenshots(page, 'account');

  // Enrol: the secret is shown once, as text and as an otpauth:// link.
  await main.getByRole('link', { name: 'Tweestapsverificatie instellen' }).click();
  assert.equal(await page.title(), `Tweestapsverificatie instellen${SUFFIX}`);
  await main.getByRole('button', { name: 'Sleutel aanmaken' }).click();
  const shown = await page.locator('#totp-sleutel').innerText();
  const uri = await page.locator('#totp-uri').getAttribute('href');
  assert.match(uri, /^otpauth:\/\/totp\/KPO:lid-tweestaps@test\.kpo\.nl\?secret=[A-Z2-7]+&issuer=KPO/);
  assert.equal(new URL(uri).searchParams.get('secret'), shown.replace(/\s+/g, ''));
  await assertNoAxeViolations(page, 'sleutel getoond');
  await screenshots(page, 'account-tweestaps');
  const secret = fromBase32(shown);

  // A wrong code is refused with a message tied to the field.
  await main.getByLabel('Code uit de app').fill('000000');
  await main.getByRole('button', { name: 'Bevestigen' }).click();
  await main.getByRole('alert').getByText(/klopt niet/).waitFor();
  await assertNoAxeViolations(page, 'verkeerde code');

  const now = Math.floor(Date.now() / 1000);
  await main.getByLabel('Code uit de app').fill(totp(secret, now));
  await main.getByRole('button', { name: 'Bevestigen' }).click();
  const codes = await main.getByRole('list', { name: 'Herstelcodes' }).getByRole('listitem').allInnerTexts();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c.trim(), /^[a-z2-9]{5}-[a-z2-9]{5}$/);
  await assertNoAxeViolations(page, 'herstelcodes');
  await screenshots(page, 'account-herstelcodes');

  // Out and in again: the password leads to the code step.
  await logout(page);
  await page.goto('/inloggen');
  await fillLogin(page, account.email, PASSWORD);
  await page.waitForURL((url) => url.pathname === '/inloggen/code');
  assert.equal(await page.title(), `Inloggen: code${SUFFIX}`);
  // Half-way, the header still offers to sign in: nothing works yet.
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).waitFor();
  await assertNoAxeViolations(page, 'code-stap');
  await screenshots(page, 'inloggen-code');
  // The enrolment used this step's code: a replay is refused, the next
  // step's code (inside the allowed drift) works.
  await main.getByLabel('Code of herstelcode').fill(totp(secret, now));
  await main.getByRole('button', { name: 'Inloggen' }).click();
  await main.getByRole('alert').getByText(/al gebruikt/).waitFor();
  await main.getByLabel('Code of herstelcode').fill(totp(secret, now + 30));
  await main.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByRole('banner').getByText(account.name).waitFor();

  // The account page: factor on, this session marked, sign out everywhere.
  await page.getByRole('banner').getByRole('link', { name: 'Mijn account' }).click();
  await main.getByText(/Tweestapsverificatie staat aan\. U hebt nog 10 ongebruikte herstelcodes/).waitFor();
  const table = main.getByRole('table', { name: 'Uw sessies' });
  await table.getByText('(deze sessie)').waitFor();
  assert.ok((await table.getByRole('row').count()) >= 2);
  await assertNoAxeViolations(page, 'Mijn account, tweestaps aan');
  await screenshots(page, 'account-aan');
  assertNoPageErrors(page);
  await main.getByRole('button', { name: 'Overal uitloggen' }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).waitFor();
  const me = await page.request.get('/api/auth/me');
  assert.equal(me.status(), 401);
});

test('without a session /account leads to the sign-in form', async (t) => {
  const page = await browser.page(t, { path: '/account' });
  await page.waitForURL((url) => url.pathname === '/inloggen');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/account');
});

// Changing the password (new-user test findings): the form works without
// JavaScript, each refusal is in the error summary and tied to its field,
// success keeps this session and ends the other one; the old password
// stops working. Also: /account reflows at 320 px (WCAG 1.4.10) with the
// "Uitloggen" buttons on screen, and links to the personal pages.
test('a member changes the password; the other session ends', async (t) => {
  const account = ACCOUNTS.wachtwoord;
  const NEW = 'nieuw-browser-wachtwoord-8';
  const other = await browser.page(t, { role: 'wachtwoord', path: '/account' });
  const page = await browser.page(t, { role: 'wachtwoord', path: '/account', js: false });
  const main = page.getByRole('main');
  await main.getByText(/U bent op 2 plekken ingelogd\./).waitFor();
  await main.getByRole('link', { name: 'Mijn feed' }).waitFor();
  await main.getByRole('link', { name: 'Mijn inschrijvingen' }).waitFor();

  // 320 px: nothing scrolls sideways; every "Uitloggen" button is on screen.
  await other.setViewportSize(VIEWPORTS.narrow);
  await other.reload();
  await assertNoHorizontalScroll(other);
  for (const button of await other.getByRole('main').getByRole('button', { name: /^Uitloggen/ }).all()) {
    const box = await button.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= VIEWPORTS.narrow.width,
      `knop Uitloggen buiten beeld: ${JSON.stringify(box)}`);
  }
  await assertNoAxeViolations(other, 'Mijn account, 320 px');
  await screenshots(other, 'account-smal');

  const submit = async (current, next, repeat) => {
    await main.getByLabel('Huidig wachtwoord').fill(current);
    await main.getByLabel('Nieuw wachtwoord', { exact: true }).fill(next);
    await main.getByLabel('Nieuw wachtwoord nog een keer').fill(repeat);
    await main.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
  };
  // Typed differently twice: the summary links to the repeat field.
  await submit(PASSWORD, NEW, `${NEW}x`);
  const summary = main.getByRole('alert');
  await summary.getByText('Uw wachtwoord is niet gewijzigd. Verbeter:').waitFor();
  assert.equal(await summary.getByRole('link', { name: /niet gelijk/ }).getAttribute('href'), '#pw-herhaal');
  const repeat = main.getByLabel('Nieuw wachtwoord nog een keer');
  assert.equal(await repeat.getAttribute('aria-invalid'), 'true');
  assert.equal(await repeat.getAttribute('aria-describedby'), 'pw-herhaal-fout');
  // Too short: the new-password field.
  await submit(PASSWORD, 'kort', 'kort');
  const fresh = main.getByLabel('Nieuw wachtwoord', { exact: true });
  assert.equal(await fresh.getAttribute('aria-invalid'), 'true');
  assert.match(await fresh.getAttribute('aria-describedby'), /pw-nieuw-fout/);
  await main.locator('#pw-nieuw-fout').getByText(/10 tot 200 tekens/).waitFor();
  // A wrong current password: that field.
  await submit('niet-mijn-wachtwoord', NEW, NEW);
  assert.equal(await summary.getByRole('link', { name: /huidige wachtwoord klopt niet/ }).getAttribute('href'), '#pw-huidig');
  assert.equal(await main.getByLabel('Huidig wachtwoord').getAttribute('aria-invalid'), 'true');

  // Success: this session stays, the other one is signed out.
  await submit(PASSWORD, NEW, NEW);
  await main.getByText(/Uw wachtwoord is gewijzigd\./).waitFor();
  await main.getByText(/U bent op 1 plek ingelogd\./).waitFor();
  await other.goto('/account');
  await other.waitForURL((url) => url.pathname === '/inloggen');

  // The old password no longer signs in; the new one does.
  await logout(page);
  await page.goto('/inloggen');
  await fillLogin(page, account.email, PASSWORD);
  await main.getByText('Onjuist e-mailadres of wachtwoord.').waitFor();
  await fillLogin(page, account.email, NEW);
  await page.getByRole('banner').getByText(account.name).waitFor();
});
