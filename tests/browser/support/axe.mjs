// axe-core scans. The portal's CSP allows no inline or foreign script, so
// axe is injected with page.evaluate (DevTools protocol, outside the CSP)
// instead of a <script> tag.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// The rules axe runs by default (WCAG 2.0/2.1 A and AA plus best practices
// such as one main landmark and heading order); experimental rules stay off.
// Returns the violations, each as "rule (impact): help — selectors".
// Needs JavaScript in the page (a context with js: 'blocked' scans the
// server-rendered page without the portal's own scripts).
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => {
    const where = v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ');
    return `${v.id} (${v.impact}): ${v.help} — ${where}`;
  });
}

export async function assertNoAxeViolations(page, state) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe op ${state} (${page.url()})`);
}
