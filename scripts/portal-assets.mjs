// Builds static/vendor/nlds.css for the portal (issue 9, docs/portal.md):
// the NL Design System component stylesheets (Utrecht's, EUPL-1.2) that the
// templates use, without comments, served from our own origin. The design
// tokens are KPO's own theme in static/portal.css: the token packages of
// Utrecht and the Rijkshuisstijl are those organisations' brand and not
// licensed for others.
//   node scripts/portal-assets.mjs     (after npm ci)
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules', '@utrecht');

// The components whose class names appear in backend/src/portal/templates.
const COMPONENTS = [
  'document', 'page-header', 'page-footer', 'skip-link', 'nav-bar', 'nav-list',
  'heading-1', 'heading-2', 'heading-3', 'paragraph', 'link', 'unordered-list',
  'button', 'textbox', 'select', 'checkbox', 'form-label', 'form-field', 'form-fieldset',
  'alert', 'data-badge', 'status-badge', 'breadcrumb-nav', 'pagination',
];

function read(path) {
  if (!existsSync(path)) {
    console.error(`portal-assets: ${path} ontbreekt; draai eerst 'npm ci' in ${root}`);
    process.exit(1);
  }
  return readFileSync(path, 'utf8');
}

const stripComments = (css) => css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ');

const components = COMPONENTS.map((name) => {
  const dir = join(modules, `${name}-css`, 'dist');
  const min = join(dir, 'index.min.css');
  return stripComments(read(existsSync(min) ? min : join(dir, 'index.css'))).trim();
}).join('\n');

const out =
  '/* NL Design System components (@utrecht/*-css, EUPL-1.2), copied by ' +
  'scripts/portal-assets.mjs. Do not edit. The theme (tokens) is ours: static/portal.css. */\n' +
  `${components}\n`;
mkdirSync(join(root, 'static', 'vendor'), { recursive: true });
writeFileSync(join(root, 'static', 'vendor', 'nlds.css'), out);
console.log(`portal-assets: static/vendor/nlds.css ${out.length} bytes (${COMPONENTS.length} components)`);
