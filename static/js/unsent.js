// Typed text survives a session that ended (portal/page_forms.h WithForm):
// a form marked data-unsent keeps what it sends in this tab's
// sessionStorage, and when its page comes back without a success notice
// (?melding=) holding other values, offers to put them back. Why not
// localStorage: a shared computer keeps that after the tab is closed, and
// restricted drafts must not outlive the tab; signing out clears it too.
// The revision the text was based on comes back with it, so a save over
// someone else's newer version still meets the server's conflict check.

const PREFIX = 'kpo-unsent:';
// The key of the last data-unsent form this tab sent, if that was the last
// form sent at all.
const LAST = 'kpo-unsent-last';
// Never kept: the session's token would be stale, and the page's own wins.
const SKIPPED = new Set(['csrf']);

function keyOf(form) {
  return PREFIX + new URL(form.action, window.location.href).pathname;
}

function valuesOf(form) {
  const out = [];
  for (const [name, value] of new FormData(form).entries()) {
    if (!SKIPPED.has(name) && typeof value === 'string') out.push([name, value]);
  }
  return out;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function read(key) {
  try {
    const kept = JSON.parse(window.sessionStorage.getItem(key) ?? 'null');
    return kept && Array.isArray(kept.values) ? kept : null;
  } catch {
    return null;
  }
}

function forgetUnsent() {
  try {
    for (const key of Object.keys(window.sessionStorage)) {
      if (key.startsWith(PREFIX) || key === LAST) window.sessionStorage.removeItem(key);
    }
  } catch {
    // storage switched off: nothing was kept
  }
}

// Puts `values` back into `form`: text fields, selects and the checked
// state of checkboxes and radio buttons, as they were sent.
function restore(form, values) {
  const sent = new Map();
  for (const [name, value] of values) {
    if (!sent.has(name)) sent.set(name, []);
    sent.get(name).push(value);
  }
  for (const field of form.elements) {
    if (!field.name || SKIPPED.has(field.name) || field.type === 'file') continue;
    const mine = sent.get(field.name) ?? [];
    if (field.type === 'checkbox' || field.type === 'radio') {
      field.checked = mine.includes(field.value);
    } else if (field.type !== 'submit' && field.type !== 'button') {
      field.value = mine[0] ?? '';
    }
  }
  form.dispatchEvent(new Event('input', { bubbles: true }));
}

function offer(form, kept, key) {
  const box = document.createElement('div');
  box.className = 'utrecht-alert kpo-alert kpo-alert--stacked kpo-unsent';
  box.setAttribute('role', 'status');
  const text = document.createElement('p');
  text.className = 'utrecht-paragraph';
  const at = new Date(kept.at).toLocaleTimeString('nl-NL', {
    hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam',
  });
  text.textContent = `U verstuurde om ${at} tekst die niet is opgeslagen. ` +
    'Wilt u die terugzetten in het formulier?';
  const back = document.createElement('button');
  back.type = 'button';
  back.className = 'utrecht-button utrecht-button--primary-action';
  back.textContent = 'Tekst terugzetten';
  const drop = document.createElement('button');
  drop.type = 'button';
  drop.className = 'utrecht-button utrecht-button--secondary-action';
  drop.textContent = 'Niet terugzetten';
  back.addEventListener('click', () => {
    restore(form, kept.values);
    text.textContent = 'Uw tekst staat weer in het formulier. Sla op om hem te bewaren.';
    actions.remove();
    text.tabIndex = -1;
    text.focus();
  });
  drop.addEventListener('click', () => {
    window.sessionStorage.removeItem(key);
    box.remove();
  });
  const actions = document.createElement('div');
  actions.className = 'kpo-unsent__actions';
  actions.append(back, ' ', drop);
  box.append(text, actions);
  form.before(box);
}

// The page shows what was sent already: a refusal's error summary or a
// save conflict holds the typed values in the form.
function showsWhatWasSent() {
  return document.querySelector('.kpo-error-summary, .kpo-conflict') !== null;
}

function signsOut(form) {
  return new URL(form.action, window.location.href).pathname.split('/').pop()
    .startsWith('uitloggen');
}

// Once per page (portal.js): keeps what data-unsent forms send, forgets it
// once saved or signed out, and offers it back where it was not saved.
export function watchUnsent() {
  try {
    const storage = window.sessionStorage;
    if (new URLSearchParams(window.location.search).has('melding')) {
      // A success notice answers the last form this tab sent.
      const last = storage.getItem(LAST);
      if (last) storage.removeItem(last);
      storage.removeItem(LAST);
    }
    for (const form of document.querySelectorAll('form[data-unsent]')) {
      const key = keyOf(form);
      const kept = read(key);
      if (kept && !showsWhatWasSent() && !same(kept.values, valuesOf(form))) offer(form, kept, key);
    }
    document.addEventListener('submit', (event) => {
      const form = event.target;
      if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
      if (signsOut(form)) {
        forgetUnsent();
      } else if (form.hasAttribute('data-unsent')) {
        storage.setItem(keyOf(form), JSON.stringify({ at: Date.now(), values: valuesOf(form) }));
        storage.setItem(LAST, keyOf(form));
      } else {
        storage.removeItem(LAST);
      }
    });
  } catch {
    // storage switched off or full: the forms work as without this script
  }
}
