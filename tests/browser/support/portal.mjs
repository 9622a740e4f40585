// Locators for the portal's parts, by the accessible names of the portal
// contract (docs/portal.md), so tests read like what a visitor perceives.
import assert from 'node:assert/strict';

// The one result count (role=status), e.g. "12 resultaten voor ‘witwassen’".
export function resultStatus(page) {
  return page.getByRole('main').getByRole('status').filter({ hasText: /\d+ resultaten?\b/ });
}

// Waits until the status says `total` results and returns its text.
export async function waitForTotal(page, total) {
  const status = resultStatus(page).filter({ hasText: new RegExp(`(^|\\D)${total} resultaten?\\b`) });
  await status.waitFor();
  return status.innerText();
}

// The result titles: heading links to /items/{id}, in page order; returns
// the ids.
export async function resultIds(page) {
  const hrefs = await page.getByRole('main').getByRole('heading').getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  return hrefs.filter((h) => h && h.startsWith('/items/')).map((h) => decodeURIComponent(h.slice(7)));
}

// The result (list item or article) whose title link is named `title`
// (a string for the exact name or a RegExp).
export function resultCard(page, title) {
  const link = page.getByRole('link', { name: title, exact: typeof title === 'string' });
  const main = page.getByRole('main');
  return main.getByRole('listitem').filter({ has: link })
    .or(main.getByRole('article').filter({ has: link })).first();
}

// Waits until the result list shows exactly `ids` (in order).
export async function waitForResults(page, ids) {
  const deadline = Date.now() + 5000;
  let shown = [];
  while (Date.now() < deadline) {
    shown = await resultIds(page);
    if (JSON.stringify(shown) === JSON.stringify(ids)) return;
    await page.waitForTimeout(100);
  }
  assert.deepEqual(shown, ids, `resultaten op ${page.url()}`);
}

// The checkbox of facet `legend` ("Soort", "Thema", …) whose label starts
// with `label` and ends with a count in parentheses.
export function facetCheckbox(page, legend, label) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.getByRole('group', { name: legend, exact: true })
    .getByRole('checkbox', { name: new RegExp(`^${escaped}\\s*\\(\\d+\\)$`) });
}

// The search box (the first one when the header has one too).
export function searchBox(page) {
  return page.getByLabel('Zoekterm', { exact: true }).first();
}

export function pagination(page) {
  return page.getByRole('navigation', { name: 'Paginering' });
}

// The <dd> of the metadata term `term` on an item page.
export function metadata(page, term) {
  return page.getByRole('main').locator('dt').filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

// The section whose heading is `name` (its innermost enclosing <section>).
export function sectionWithHeading(page, name) {
  return page.locator('section')
    .filter({ has: page.getByRole('heading', { name, exact: true }) }).last();
}

// Search API as the page's user, with the portal's page size: the oracle
// for which items a page should list.
export async function searchApi(page, params) {
  const query = new URLSearchParams(params).toString();
  const res = await page.request.get(`/api/search?${query}`);
  assert.equal(res.status(), 200, `GET /api/search?${query}`);
  return res.json();
}
