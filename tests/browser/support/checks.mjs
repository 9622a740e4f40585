// Assertions for what axe cannot see (WCAG 2.1 AA checks by hand, written
// down): focus after an update, reflow at 320 px, one h1, headings in order,
// a unique title per page, landmarks, the skip link.
import assert from 'node:assert/strict';

import { SUFFIX } from './browser.mjs';

// 2.4.3 / 3.2: after an update the focus stays on the control the user used.
export async function assertFocused(locator, what) {
  const focused = await locator.evaluate((el) => el === document.activeElement);
  const actual = await locator.page().evaluate(() => {
    const a = document.activeElement;
    return a ? `${a.tagName.toLowerCase()}#${a.id} "${(a.textContent || a.value || '').trim().slice(0, 40)}"` : 'niets';
  });
  assert.ok(focused, `focus hoort op ${what} te staan, staat op ${actual}`);
}

// The focus indicator of the focused element (2.4.7, 1.4.11): whether it
// draws an outline (≥ 2px) or a box shadow, and its best contrast: a colour
// of the indicator against the first opaque background behind the element,
// or an outline against the box-shadow ring around it (a two-tone ring,
// dark on a light halo, is visible on any background). null when nothing
// but <body> has focus.
export async function focusRing(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const colours = (text) => [...text.matchAll(/rgba?\(([^)]+)\)/g)]
      .map((m) => m[1].split(/[ ,/]+/).map(Number))
      .filter((c) => c.length < 4 || c[3] > 0);
    const luminance = ([r, g, b]) => {
      const c = [r, g, b].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    const ratio = (a, b) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    let background = [255, 255, 255];
    for (let n = el.parentElement; n; n = n.parentElement) {
      const found = colours(getComputedStyle(n).backgroundColor);
      if (found.length > 0) {
        background = found[0];
        break;
      }
    }
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? colours(s.outlineColor) : [];
    const shadows = s.boxShadow && s.boxShadow !== 'none' ? colours(s.boxShadow) : [];
    const contrasts = [...outline, ...shadows].map((c) => ratio(c, background));
    for (const o of outline) for (const sh of shadows) contrasts.push(ratio(o, sh));
    return {
      what: `${el.tagName.toLowerCase()} "${(el.textContent || el.value || '').trim().slice(0, 30)}"`,
      visible: outline.length + shadows.length > 0,
      contrast: Math.max(0, ...contrasts),
    };
  });
}

// 1.4.10 reflow: at 320 CSS px nothing scrolls sideways.
export async function assertNoHorizontalScroll(page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth,
    `${page.url()}: ${scrollWidth}px breed bij een venster van ${innerWidth}px (horizontaal scrollen)`);
}

export async function assertOneH1(page) {
  const count = await page.locator('h1').count();
  assert.equal(count, 1, `${page.url()}: ${count} h1-koppen, verwacht precies 1`);
}

// 1.3.1 / 2.4.6: the first heading is the h1 and no level is skipped on
// the way down (h2 -> h4 is a skip; h4 -> h2 is fine).
export async function assertHeadingOrder(page) {
  const levels = await page.locator('h1, h2, h3, h4, h5, h6, [role=heading][aria-level]').evaluateAll(
    (els) => els
      // Only rendered headings: a collapsed panel's headings are not read out.
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => Number(el.getAttribute('aria-level') || el.tagName.slice(1))));
  assert.ok(levels.length > 0, `${page.url()}: geen koppen`);
  assert.equal(levels[0], 1, `${page.url()}: eerste kop is h${levels[0]}, verwacht h1 (${levels.join(' ')})`);
  for (let i = 1; i < levels.length; i++) {
    assert.ok(levels[i] <= levels[i - 1] + 1,
      `${page.url()}: kop h${levels[i]} volgt op h${levels[i - 1]} (${levels.join(' ')})`);
  }
}

// Every page: lang="nl", the four landmarks with the contract's names, and
// a title of the form "<what> — Kennisplatform Ondermijning".
export async function assertPageFrame(page) {
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl', `${page.url()}: lang`);
  const banner = page.getByRole('banner');
  assert.equal(await banner.count(), 1, `${page.url()}: één banner`);
  await banner.getByText('Kennisplatform Ondermijning').first().waitFor();
  await page.getByRole('navigation', { name: 'Hoofdnavigatie' }).waitFor();
  assert.equal(await page.getByRole('main').count(), 1, `${page.url()}: één main`);
  const footer = page.getByRole('contentinfo');
  for (const name of ['Toegankelijkheid', 'Privacy', 'Contact']) {
    await footer.getByRole('link', { name }).waitFor();
  }
  const title = await page.title();
  assert.ok(title.endsWith(SUFFIX) && title.length > SUFFIX.length,
    `${page.url()}: titel "${title}" hoort "<pagina>${SUFFIX}" te zijn`);
}

// The skip link is the first thing Tab reaches and moves focus into <main>.
export async function assertSkipLink(page) {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Naar de inhoud' });
  await assertFocused(skip, 'de skiplink "Naar de inhoud"');
  const href = await skip.getAttribute('href');
  assert.match(href, /^#./, 'skiplink wijst naar een anker');
  const target = page.locator(href);
  assert.equal(await target.count(), 1, `skiplink-doel ${href} bestaat`);
  const inMain = await target.evaluate((el) => el.matches('main, main *'));
  assert.ok(inMain, `skiplink-doel ${href} ligt in <main>`);
}

// 2.4.2: a title per page. Remembers every title seen under a key that
// names the page (the same page at another width keeps its title; two
// different pages must not share one).
export class TitleRegistry {
  constructor() {
    this.byTitle = new Map();
  }

  async check(page, key) {
    const title = await page.title();
    const previous = this.byTitle.get(title);
    assert.ok(previous === undefined || previous === key,
      `titel "${title}" staat op twee pagina's: ${previous} en ${key}`);
    this.byTitle.set(title, key);
  }
}

// Everything above that holds for any page and state, in one call.
export async function assertPageBasics(page) {
  await assertPageFrame(page);
  await assertOneH1(page);
  await assertHeadingOrder(page);
}
