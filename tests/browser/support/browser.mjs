// Browser helpers shared by every tests/browser/*.test.mjs: Debian's
// chromium through playwright-core, one browser per test file, one fresh
// context (cookies, viewport, JavaScript on/off) per test.
//
//   import { test } from 'node:test';
//   import { useBrowser } from './support/browser.mjs';
//   const browser = useBrowser();
//   test('…', async (t) => {
//     const page = await browser.page(t, { path: '/zoeken?q=bibob', role: 'politie' });
//   });
import { after, before } from 'node:test';
import assert from 'node:assert/strict';

import { chromium } from 'playwright-core';

import { ACCOUNTS, PASSWORD } from './accounts.mjs';

// Set by run.mjs: the server under test, e.g. http://127.0.0.1:41234.
export const BASE = process.env.KPO_BASE_URL;
if (!BASE) throw new Error('KPO_BASE_URL ontbreekt: start de tests met run.mjs (of ctest -L browser)');

export const SUFFIX = ' — Kennisplatform Ondermijning';

// Desktop, phone and the WCAG 1.4.10 reflow width.
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
  narrow: { width: 320, height: 640 },
};

// How long one Playwright action or expectation may wait. Pages are rendered
// on a loopback server, so a wait this long means the thing is missing.
const ACTION_TIMEOUT_MS = 5000;

export async function launchBrowser() {
  // Playwright's own browser download does not work here; Debian's does.
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}

// Registers before/after hooks of the calling test file: one browser for
// all its tests. Returns { page(t, options) }.
export function useBrowser() {
  let browser = null;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  return {
    // A new page in a new context, closed when test `t` ends.
    //   viewport: 'desktop' | 'phone' | 'narrow'   (default desktop)
    //   js: true | false | 'blocked'   false: JavaScript off (what a visitor
    //       without JS gets; page.evaluate and axe cannot run there);
    //       'blocked': JavaScript on but the page's own scripts never load
    //       (the server-rendered page, for axe scans of the no-JS states)
    //   role: an ACCOUNTS key; signs in through /inloggen first
    //   path: opened last
    async page(t, { viewport = 'desktop', js = true, role = null, path = null } = {}) {
      const context = await browser.newContext({
        baseURL: BASE,
        viewport: VIEWPORTS[viewport],
        javaScriptEnabled: js !== false,
        locale: 'nl-NL',
        timezoneId: 'Europe/Amsterdam',
      });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(15000);
      t.after(() => context.close());
      if (js === 'blocked') {
        await context.route('**/*', (route) =>
          route.request().resourceType() === 'script' ? route.abort() : route.continue());
      }
      const page = await context.newPage();
      watchErrors(page);
      if (role) await loginAs(page, role);
      if (path) await page.goto(path);
      return page;
    },
  };
}

// Collects what the page's own code got wrong: uncaught exceptions and
// Content-Security-Policy refusals (an inline script or style the CSP blocks
// is a feature that silently does not work). See assertNoPageErrors.
function watchErrors(page) {
  page.kpoErrors = [];
  page.on('pageerror', (e) => page.kpoErrors.push(`exception: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      page.kpoErrors.push(`CSP: ${msg.text()}`);
    }
  });
}

export function assertNoPageErrors(page) {
  assert.deepEqual(page.kpoErrors, [], `fouten in de pagina ${page.url()}`);
}

// Signs in through the login page, as a visitor would, and checks that the
// header then names the user. `role` is a key of ACCOUNTS.
export async function loginAs(page, role, { next = null } = {}) {
  const account = ACCOUNTS[role];
  assert.ok(account, `onbekend testaccount ${role}`);
  await page.goto(next ? `/inloggen?next=${encodeURIComponent(next)}` : '/inloggen');
  await fillLogin(page, account.email, PASSWORD);
  await page.waitForURL((url) => url.pathname !== '/inloggen');
  await page.getByRole('banner').getByText(account.name).waitFor();
  return account;
}

// Fills and submits the login form in <main>.
export async function fillLogin(page, email, password) {
  const main = page.getByRole('main');
  await main.getByLabel(/e-?mail/i).fill(email);
  await main.getByLabel(/wachtwoord/i).fill(password);
  await main.getByRole('button', { name: /inloggen/i }).click();
}

export async function logout(page) {
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await page.getByRole('banner').getByRole('link', { name: 'Inloggen' }).waitFor();
}

// GET through the page's context (its cookies, so as its user) and returns
// parsed JSON: the API is the oracle for what a caller may read.
export async function api(page, path) {
  const res = await page.request.get(path);
  assert.equal(res.status(), 200, `GET ${path}`);
  return res.json();
}

// Dutch long date as the portal shows it: 2022-05-24 -> "24 mei 2022".
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus',
  'september', 'oktober', 'november', 'december'];
export function dutchDate(iso) {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
