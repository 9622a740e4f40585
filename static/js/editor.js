// The editor's live preview (portal/editorial_pages.cc, issue 10): while the
// editor types, the form is sent to POST /api/preview (debounced) and the
// rendered body and the writing aids replace the server-rendered preview.
// Without this script the "Voorbeeld bekijken" button renders the same
// preview on the server. The HTML comes from the server's Markdown renderer,
// which never passes raw HTML or javascript: links through. guardUnsaved
// warns before typed, unsaved text would be lost.

const DELAY_MS = 400;
const TEXT_FIELDS = ['id', 'title', 'type', 'summary', 'werkplaats', 'access', 'published',
  'review_by', 'body'];
const LIST_PREFIXES = { 'theme:': 'themes', 'region:': 'regions', 'group:': 'groups' };

// The form as the API's item fields.
function draftOf(form) {
  const data = new FormData(form);
  const out = { themes: [], regions: [], groups: [], tags: [] };
  for (const name of TEXT_FIELDS) {
    if (data.has(name)) out[name] = String(data.get(name));
  }
  for (const [name, value] of data.entries()) {
    for (const [prefix, list] of Object.entries(LIST_PREFIXES)) {
      if (name.startsWith(prefix) && value) out[list].push(name.slice(prefix.length));
    }
  }
  out.tags = String(data.get('tags') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return out;
}

function paragraph(text, strong) {
  const p = document.createElement('p');
  p.className = 'utrecht-paragraph';
  if (strong) {
    const s = document.createElement('strong');
    s.textContent = strong;
    p.append(s, ' ');
  }
  p.append(text);
  return p;
}

function list(items, className) {
  const ul = document.createElement('ul');
  ul.className = className;
  for (const text of items) {
    const li = document.createElement('li');
    li.textContent = text;
    ul.append(li);
  }
  return ul;
}

// The writing aids, as the server renders them (editorial_editor.mustache).
function aids(preview) {
  const r = preview.readability;
  const nodes = [paragraph(`lange zinnen ${r.long_sentences} van de ${r.sentences}, ` +
    `lange woorden ${r.long_words} van de ${r.words}.`, 'Taalniveau B1:')];
  nodes[0].classList.add('kpo-b1');
  nodes.push(r.advice.length > 0 ? list(r.advice, 'kpo-advice')
    : paragraph('Past bij taalniveau B1: weinig lange zinnen en lange woorden.'));
  if (preview.links.length > 0) {
    nodes.push(paragraph('', 'Links die lezers niet kunnen volgen:'));
    nodes.push(list(preview.links.map((l) => `/items/${l.id}: ${l.reason}`),
      'kpo-advice kpo-broken-links'));
  } else {
    nodes.push(paragraph('Alle interne links werken.'));
  }
  if (preview.not_shown.length > 0) {
    nodes.push(paragraph('', 'Wat lezers niet zullen zien:'));
    nodes.push(list(preview.not_shown, 'kpo-advice kpo-not-shown'));
  }
  if (preview.problems.length > 0) {
    nodes.push(paragraph('', 'Nog te verbeteren voordat u opslaat:'));
    nodes.push(list(preview.problems.map((p) => p.message), 'kpo-advice kpo-problems'));
  }
  return nodes;
}

export const UNSAVED = 'U heeft niet-opgeslagen wijzigingen. Als u doorgaat, gaan die verloren. ' +
  'Toch doorgaan?';

// No typed text is lost without a warning: once the edit form changed,
// leaving the page asks first. Another form of the page (upload, a workflow
// step, search) reloads the page with the last saved version, so it asks
// with our own words; links and closing the tab get the browser's
// beforeunload question. Submitting the edit form itself saves, so it is
// let through. Without this script the page says in words to save first.
export function guardUnsaved(form) {
  let dirty = false;
  let leaving = false;
  const changed = () => { dirty = true; };
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', () => { leaving = true; });
  document.addEventListener('submit', (event) => {
    if (event.target === form || !dirty || event.defaultPrevented) return;
    if (window.confirm(UNSAVED)) {
      leaving = true; // asked already: no second question from beforeunload
    } else {
      event.preventDefault();
    }
  });
  window.addEventListener('beforeunload', (event) => {
    if (!dirty || leaving) return;
    event.preventDefault();
    event.returnValue = UNSAVED; // older browsers need a value
  });
  // Back from the bfcache: the page is live again, ask again next time.
  window.addEventListener('pageshow', () => { leaving = false; });
}

export function enhanceEditor(form) {
  guardUnsaved(form);
  const body = document.getElementById('voorbeeld-tekst');
  const help = document.getElementById('voorbeeld-hulp');
  const status = document.getElementById('voorbeeld-status');
  if (!body || !help || !status) return;
  let timer = null;
  let sequence = 0;
  const update = async () => {
    const mine = ++sequence;
    let response;
    try {
      response = await fetch(form.dataset.preview, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': form.dataset.csrf },
        body: JSON.stringify(draftOf(form)),
      });
    } catch {
      return; // offline: the button still renders the preview on the server
    }
    if (!response.ok || mine !== sequence) return;
    const preview = await response.json();
    if (mine !== sequence) return;
    body.innerHTML = preview.html;
    help.replaceChildren(...aids(preview));
    status.textContent = 'Voorbeeld bijgewerkt';
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(update, DELAY_MS);
  };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
  form.classList.add('kpo-editor__form--live');
}
