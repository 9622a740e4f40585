// Security and cache headers on every route, anonymous and signed in, and
// path traversal answered 404. Plain HTTP (node:http sends the path as
// written; a browser or fetch() would normalise "/static/../x" away).
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';

import { ACCOUNTS, PASSWORD } from './support/accounts.mjs';
import { BASE } from './support/browser.mjs';

const base = new URL(BASE);

// One raw GET (or POST); resolves { status, headers, body }. A body goes with
// its Content-Length, as browsers and nginx send it: the server refuses
// chunked request bodies (411, docs/api.md), which Node would use otherwise.
function request(path, { method = 'GET', headers = {}, body = null } = {}) {
  if (body) headers = { ...headers, 'Content-Length': Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function login(role) {
  const res = await request('/api/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: ACCOUNTS[role].email, password: PASSWORD }),
  });
  assert.equal(res.status, 200, 'inloggen via de API');
  return res.headers['set-cookie'].map((c) => c.split(';')[0]).join('; ');
}

// Every HTML route of the portal (the contract's URL list) and the API.
const HTML_ROUTES = [
  '/', '/zoeken?q=witwassen', '/zoeken?q=', '/items/handreiking-bibob-beleid-gemeenten',
  '/items/bestaat-niet', '/themas/bibob', '/werkplaatsen/poortwachters', '/inloggen',
  '/toegankelijkheid', '/privacy', '/contact', '/bestaat-niet',
  '/academie', '/academie/cursus-bibob-basiscursus', '/academie/bestaat-niet',  // issue 11
];
const API_ROUTES = ['/api/health', '/api/search?q=witwassen', '/api/suggest?q=wit',
  '/api/documents/handreiking-bibob-beleid-gemeenten', '/api/vocabulary', '/api/bestaat-niet'];

function directives(csp) {
  const map = new Map();
  for (const part of (csp ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

function assertSecurityHeaders(route, res) {
  const csp = directives(res.headers['content-security-policy']);
  assert.ok(csp.size > 0, `${route}: Content-Security-Policy`);
  const scripts = csp.get('script-src') ?? csp.get('default-src');
  assert.ok(scripts, `${route}: CSP beperkt scripts (script-src of default-src)`);
  for (const bad of ["'unsafe-inline'", "'unsafe-eval'", '*', 'data:', 'http:', 'https:']) {
    assert.ok(!scripts.includes(bad), `${route}: script-src zonder ${bad}`);
  }
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${route}: frame-ancestors 'none'`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${route}: nosniff`);
  assert.match(res.headers['referrer-policy'] ?? '',
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/, `${route}: Referrer-Policy`);
}

// HTML depends on the caller (the header names the user; lists are
// filtered by access): never stored by a shared cache.
function assertCallerDependentCache(route, res) {
  const cc = res.headers['cache-control'] ?? '';
  const vary = (res.headers.vary ?? '').toLowerCase();
  const privateOrNone = /no-store/.test(cc) || (/private/.test(cc) && /cookie/.test(vary));
  assert.ok(privateOrNone, `${route}: Cache-Control "${cc}" (Vary "${vary}") hoort private, no-store te zijn`);
  assert.ok(!/public/.test(cc), `${route}: niet public`);
}

test('headers: elke portaalpagina, anoniem en ingelogd', async () => {
  const cookie = await login('politie');
  for (const headers of [{}, { Cookie: cookie }]) {
    for (const route of HTML_ROUTES) {
      const res = await request(route, { headers });
      const who = headers.Cookie ? 'ingelogd' : 'anoniem';
      assert.ok([200, 404].includes(res.status), `${route} (${who}): status ${res.status}`);
      assert.match(res.headers['content-type'] ?? '', /^text\/html;\s*charset=utf-8/i, `${route}: HTML`);
      assertSecurityHeaders(`${route} (${who})`, res);
      assertCallerDependentCache(`${route} (${who})`, res);
    }
  }
});

test('headers: het loginformulier en de API', async () => {
  const cookie = await login('gemeenten');
  for (const route of API_ROUTES) {
    for (const headers of [{}, { Cookie: cookie }]) {
      const res = await request(route, { headers });
      assertSecurityHeaders(route, res);
      if (route !== '/api/vocabulary') assertCallerDependentCache(route, res);
    }
  }
  const post = await request('/inloggen', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'email=niemand%40test.kpo.nl&password=fout',
  });
  assertSecurityHeaders('POST /inloggen', post);
  assertCallerDependentCache('POST /inloggen', post);
});

test('headers: statische bestanden lang in de cache, met de juiste soort', async () => {
  const home = await request('/');
  const assets = [...home.body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
  assert.ok(assets.some((a) => /\.css(\?|$)/.test(a)), 'de home laadt CSS uit /static/');
  assert.ok(assets.some((a) => /\.m?js(\?|$)/.test(a)), 'de home laadt JavaScript uit /static/');
  for (const asset of new Set(assets)) {
    const res = await request(asset);
    assert.equal(res.status, 200, asset);
    const maxAge = Number((res.headers['cache-control'] ?? '').match(/max-age=(\d+)/)?.[1] ?? 0);
    assert.ok(maxAge >= 86400 * 30, `${asset}: Cache-Control "${res.headers['cache-control']}" (lang cachen)`);
    const type = res.headers['content-type'] ?? '';
    if (/\.css(\?|$)/.test(asset)) assert.match(type, /^text\/css/, asset);
    if (/\.m?js(\?|$)/.test(asset)) assert.match(type, /^(text|application)\/javascript/, asset);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', asset);
  }
});

test('traversal: pogingen buiten static/ te lezen geven 404 zonder de inhoud', async () => {
  const attempts = [
    '/static/../CMakeLists.txt',
    '/static/%2e%2e/CMakeLists.txt',
    '/static/%2E%2E/CMakeLists.txt',
    '/static/..%2fCMakeLists.txt',
    '/static/..%2FCMakeLists.txt',
    '/static/%2e%2e%2fCMakeLists.txt',
    '/static/..%5cCMakeLists.txt',
    '/static/%252e%252e/CMakeLists.txt',
    '/static/./../CMakeLists.txt',
    '/static/../../../../etc/passwd',
    '/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/static//etc/passwd',
    '/static/..;/CMakeLists.txt',
    '/../CMakeLists.txt',
    '/%2e%2e/CMakeLists.txt',
    '/CMakeLists.txt',
    '/static/../backend/src/server_main.cc',
  ];
  for (const path of attempts) {
    const res = await request(path);
    assert.equal(res.status, 404, `${path}: status ${res.status}`);
    assert.ok(!res.body.includes('cmake_minimum_required'), `${path}: lekt CMakeLists.txt`);
    assert.ok(!res.body.includes('root:x:0:0'), `${path}: lekt /etc/passwd`);
    assert.ok(!res.body.includes('#include'), `${path}: lekt broncode`);
  }
});
