// The KPO portal: search with facets and suggestions, document view and
// sign-in, on top of the JSON API of the same origin. Everything from the
// API is inserted as text, except the server-rendered, sanitised HTML of a
// document and the server-escaped snippets with <mark>.
'use strict';

const FACETS = { type: 'Soort', theme: 'Thema', region: 'Regio', werkplaats: 'Werkplaats', year: 'Jaar' };
let vocabulary = {};
let csrf = null;

const $ = (id) => document.getElementById(id);
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}
function label(kind, key) {
  const map = { theme: 'themes', region: 'regions', werkplaats: 'werkplaatsen' }[kind];
  return (map && vocabulary[map] && vocabulary[map][key]) || key;
}

async function api(path, options = {}) {
  const headers = options.body ? { 'Content-Type': 'application/json' } : {};
  if (csrf && options.method && options.method !== 'GET') headers['X-CSRF-Token'] = csrf;
  const response = await fetch(path, { ...options, headers, credentials: 'same-origin' });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error && body.error.message) || 'Er ging iets mis.');
  return body;
}

function params() { return new URLSearchParams(location.search); }

async function search() {
  const p = params();
  $('q').value = p.get('q') || '';
  const results = $('resultaten');
  results.replaceChildren(el('p', {}, 'Zoeken…'));
  try {
    const data = await api('/api/search?' + p.toString());
    renderFacets(data.facets, p);
    const list = [];
    if (data.suggestion) {
      const q = new URLSearchParams(p); q.set('q', data.suggestion);
      const link = el('a', { href: '?' + q.toString() }, data.suggestion);
      list.push(el('p', { class: 'melding' }, data.corrected ? 'Resultaten voor ' : 'Bedoelde u: ', link));
    }
    list.push(el('h2', {}, `${data.total} resultaten`));
    for (const hit of data.results) {
      const title = el('a', { href: '?doc=' + encodeURIComponent(hit.id) }, hit.title);
      const snippet = el('p', {});
      snippet.innerHTML = hit.snippet;  // escaped by the server; only <mark> is markup
      list.push(el('div', { class: 'hit' }, el('h3', {}, title),
        el('p', { class: 'meta' }, `${hit.type} · ${hit.published || ''} · ${hit.themes.map((t) => label('theme', t)).join(', ')}`),
        snippet));
    }
    const pages = Math.ceil(data.total / data.size);
    if (pages > 1) {
      const nav = el('nav', { 'aria-label': 'Pagina’s' });
      for (let i = 1; i <= Math.min(pages, 20); i++) {
        const q = new URLSearchParams(p); q.set('page', i);
        nav.append(i === data.page ? el('strong', {}, ` ${i} `) : el('a', { href: '?' + q.toString() }, ` ${i} `));
      }
      list.push(nav);
    }
    results.replaceChildren(...list);
  } catch (e) {
    results.replaceChildren(el('p', { class: 'fout', role: 'alert' }, e.message));
  }
}

function renderFacets(facets, p) {
  const aside = $('facetten');
  aside.replaceChildren();
  for (const [kind, title] of Object.entries(FACETS)) {
    const values = Object.entries(facets[kind] || {});
    if (!values.length) continue;
    const chosen = (p.get(kind) || '').split(',').filter(Boolean);
    const set = el('fieldset', {}, el('legend', {}, title));
    for (const [value, count] of values.sort((a, b) => b[1] - a[1])) {
      const id = `f-${kind}-${value}`;
      const box = el('input', { type: 'checkbox', id, value });
      box.checked = chosen.includes(value);
      box.addEventListener('change', () => {
        const next = params();
        const all = new Set(chosen);
        box.checked ? all.add(value) : all.delete(value);
        all.size ? next.set(kind, [...all].join(',')) : next.delete(kind);
        next.delete('page');
        history.pushState(null, '', '?' + next.toString());
        search();
      });
      set.append(el('div', {}, box, el('label', { for: id, class: 'facet-label' }, ` ${label(kind, value)} (${count})`)));
    }
    aside.append(set);
  }
}

async function showDocument(id) {
  const doc = $('document');
  try {
    const data = await api('/api/documents/' + encodeURIComponent(id));
    const body = el('div', {});
    body.innerHTML = data.html;  // rendered by cmark in safe mode on the server
    doc.replaceChildren(el('p', {}, el('a', { href: '/' }, '← Terug naar zoeken')), el('h2', {}, data.title),
      el('p', { class: 'meta' }, `${data.type} · ${data.published || ''}`), el('p', {}, data.summary), body);
  } catch (e) {
    doc.replaceChildren(el('p', { class: 'fout', role: 'alert' }, e.message));
  }
  doc.hidden = false;
  $('zoeken').hidden = true;
  document.querySelector('.layout').hidden = true;
}

async function renderAccount() {
  const box = $('account');
  try {
    const me = await api('/api/auth/me');
    csrf = me.csrf_token || null;
    const out = el('button', { type: 'button', class: 'link' }, 'Uitloggen');
    out.addEventListener('click', async () => { await api('/api/auth/logout', { method: 'POST' }); location.reload(); });
    box.replaceChildren(`${me.user.email} (${me.user.role}) `, out);
  } catch {
    const login = el('button', { type: 'button', class: 'link' }, 'Inloggen');
    login.addEventListener('click', () => $('inloggen').showModal());
    box.replaceChildren(login);
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: $('email').value, password: $('wachtwoord').value }) });
    location.reload();
  } catch (e) {
    $('login-fout').textContent = e.message;
  }
});
$('login-annuleren').addEventListener('click', () => $('inloggen').close());

let suggestTimer;
$('q').addEventListener('input', () => {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    const q = $('q').value;
    if (q.length < 2) return;
    try {
      const s = await api('/api/suggest?q=' + encodeURIComponent(q));
      $('suggesties').replaceChildren(...[...s.completions, ...s.titles.map((t) => t.title)].map((v) => el('option', { value: v })));
    } catch { /* suggestions are a convenience; searching still works */ }
  }, 150);
});
window.addEventListener('popstate', search);

(async () => {
  vocabulary = await api('/api/vocabulary').catch(() => ({}));
  await renderAccount();
  const doc = params().get('doc');
  if (doc) showDocument(doc); else search();
})();
