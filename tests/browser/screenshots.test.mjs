// Screenshots of home, search and item at desktop (1280×800), phone
// (390×844) and 320 px, into the build dir (KPO_SCREENSHOT_DIR). They
// assert only that the page is there; people look at them (and the README
// shows two, copied by hand into docs/screenshots/).
import { test } from 'node:test';

import { useBrowser } from './support/browser.mjs';
import { resultStatus } from './support/portal.mjs';
import { screenshots } from './support/screenshots.mjs';

const browser = useBrowser();

const PAGES = [
  { name: 'home', path: '/' },
  { name: 'zoeken', path: '/zoeken?q=bibob', ready: (page) => resultStatus(page).waitFor() },
  { name: 'zoeken-ook-gezocht', path: '/zoeken?q=social', ready: (page) => resultStatus(page).waitFor() },
  { name: 'item', path: '/items/handreiking-bibob-beleid-gemeenten' },
  { name: 'item-politie', path: '/items/nieuws-oost-nederland-interventieweek-crystal-meth', role: 'politie' },
];

for (const { name, path, role, ready } of PAGES) {
  test(`screenshots: ${name}`, async (t) => {
    const page = await browser.page(t, { role: role ?? null, path });
    await page.getByRole('heading', { level: 1 }).waitFor();
    if (ready) await ready(page);
    await screenshots(page, name);
  });
}
