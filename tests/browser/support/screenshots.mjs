// Screenshots for people: desktop 1280×800, phone 390×844 and 320 px, into
// KPO_SCREENSHOT_DIR (the build dir's tests/browser/screenshots/). Look at
// them: a picture shows what an assertion misses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { VIEWPORTS } from './browser.mjs';

const DIR = process.env.KPO_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'kpo-browser-screenshots');
fs.mkdirSync(DIR, { recursive: true });

// Writes <name>-desktop.png, <name>-phone.png and <name>-narrow.png of the
// visible part of the page at each width, then restores the viewport.
// Returns the written paths.
export async function screenshots(page, name) {
  const original = page.viewportSize();
  const written = [];
  for (const [label, size] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(size);
    // Let media queries and the layout settle before the picture.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
    const file = path.join(DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file });
    written.push(file);
  }
  await page.setViewportSize(original);
  return written;
}
