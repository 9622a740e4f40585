// Filters without a reload: a changed checkbox, sort or date fetches the
// same page for the new address, swaps the results and the filter form,
// keeps focus on the control the user changed, updates the one status line
// (read out once) and the address bar (pushState; Back works through
// popstate). On a phone the filters fold behind a "Filters" button.
let sequence = 0;

function addressOf(form, base) {
  const data = new FormData(form);
  const params = new URLSearchParams();
  if (data.get('q')) params.set('q', data.get('q'));
  const filters = new Map();
  for (const [name] of data) {
    const colon = name.indexOf(':');
    if (colon <= 0) continue;
    const facet = name.slice(0, colon);
    if (!filters.has(facet)) filters.set(facet, []);
    filters.get(facet).push(name.slice(colon + 1));
  }
  for (const [facet, values] of filters) params.set(facet, values.join(','));
  for (const name of ['sort', 'from', 'to', 'spelling']) {
    if (data.get(name)) params.set(name, data.get(name));
  }
  const query = params.toString().replace(/%2C/g, ',');
  return query ? `${base}?${query}` : base;
}

function setUpToggle(root) {
  const button = root.querySelector('.kpo-filters__toggle');
  const form = root.querySelector('#kpo-filter-form');
  if (!button || !form) return;
  button.hidden = false;
  // A field the server marked wrong stays in view, with the focus its
  // autofocus gave it (folding it away would leave the focus on nothing).
  const invalid = form.querySelector('[aria-invalid="true"]');
  // Opened at #kpo-filters ("Naar de filters" followed before this script
  // ran, or a shared link): they are what was asked for.
  const open = Boolean(invalid) || window.location.hash === '#kpo-filters';
  form.classList.toggle('kpo-collapsed', !open);
  button.setAttribute('aria-expanded', String(open));
  if (invalid) invalid.focus();
  button.addEventListener('click', () => {
    const current = root.querySelector('#kpo-filter-form');
    const expanded = button.getAttribute('aria-expanded') === 'true';
    button.setAttribute('aria-expanded', String(!expanded));
    current.classList.toggle('kpo-collapsed', expanded);
  });
  // "Naar de filters" above the results (a phone's layout only): unfold
  // them and put the focus on the button that folds them again. Delegated:
  // the results are replaced after every update.
  root.addEventListener('click', (event) => {
    if (!event.target.closest('.kpo-filters-jump a')) return;
    event.preventDefault();
    if (button.getAttribute('aria-expanded') !== 'true') button.click();
    button.scrollIntoView({ block: 'start' });
    button.focus();
  });
}

async function update(root, url, focusId, push) {
  const mine = ++sequence;
  let html;
  try {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok && response.status !== 400) throw new Error(String(response.status));
    html = await response.text();
  } catch {
    window.location.assign(url);
    return;
  }
  if (mine !== sequence) return;  // a newer change is on its way
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const fresh = doc.getElementById('kpo-results');
  if (!fresh) {
    window.location.assign(url);
    return;
  }
  // Keep the live region element, change only its text: read out once.
  const status = root.querySelector('[role="status"]');
  const freshStatus = fresh.querySelector('[role="status"]');
  if (status && freshStatus) {
    const text = freshStatus.textContent;
    freshStatus.replaceWith(status);
    status.textContent = text;
  }
  root.querySelector('.kpo-results').replaceWith(fresh.querySelector('.kpo-results'));
  const form = root.querySelector('#kpo-filter-form');
  const freshForm = fresh.querySelector('#kpo-filter-form');
  freshForm.classList.toggle('kpo-collapsed', form.classList.contains('kpo-collapsed'));
  form.replaceWith(freshForm);
  document.title = doc.title;
  if (push) window.history.pushState({ kpo: true }, '', url);
  const target = focusId && document.getElementById(focusId);
  if (target) target.focus();
}

export function enhanceFilters(root) {
  const base = root.dataset.base;
  setUpToggle(root);
  // Delegated: the form is replaced after every update.
  root.addEventListener('change', (event) => {
    const form = event.target.closest('#kpo-filter-form');
    if (!form || !event.target.id) return;
    // A date being typed changes with every digit, its year reading 0002
    // until the last: wait until it is a whole date (an emptied one counts).
    const date = event.target.type === 'date' ? event.target.value : '';
    if (date && !/^(19|2[0-2])\d\d-\d\d-\d\d$/.test(date)) return;
    update(root, addressOf(form, base), event.target.id, true);
  });
  root.addEventListener('submit', (event) => {
    const form = event.target.closest('#kpo-filter-form');
    if (!form) return;
    event.preventDefault();
    update(root, addressOf(form, base), null, true);
  });
  window.history.replaceState({ kpo: true }, '', window.location.href);
  window.addEventListener('popstate', () => update(root, window.location.href, null, false));
}
