// The search box as an ARIA 1.2 combobox with suggestions from /api/suggest:
// ArrowDown/ArrowUp move through the options, Enter searches the chosen one,
// Escape closes the list. Focus stays in the input (aria-activedescendant).
const MIN_CHARS = 2;
const DELAY_MS = 150;
const MAX_OPTIONS = 8;

export function enhanceCombobox(input) {
  const listId = `${input.id}-suggesties`;
  const list = document.createElement('ul');
  list.id = listId;
  list.className = 'kpo-suggest';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Suggesties');
  list.hidden = true;
  input.insertAdjacentElement('afterend', list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);

  let options = [];
  let active = -1;
  let timer = 0;
  let controller = null;

  const open = () => {
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
    active = -1;
  };
  const choose = (text) => {
    close();
    input.value = text;
    window.location.assign(`/zoeken?q=${encodeURIComponent(text)}`);
  };
  const render = (texts) => {
    list.replaceChildren();
    active = -1;
    options = texts.map((text, i) => {
      const option = document.createElement('li');
      option.id = `${listId}-${i}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.textContent = text;
      // mousedown, not click: the input must not lose focus first.
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(text);
      });
      list.append(option);
      return option;
    });
    if (options.length === 0) close();
    else open();
  };
  const move = (delta) => {
    if (options.length === 0) return;
    if (list.hidden) open();
    if (active >= 0) options[active].setAttribute('aria-selected', 'false');
    active = (active + delta + options.length) % options.length;
    options[active].setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', options[active].id);
    options[active].scrollIntoView({ block: 'nearest' });
  };
  const suggest = async (q) => {
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const response = await fetch(`/api/suggest?q=${encodeURIComponent(q)}`, {
        signal: controller.signal,
        credentials: 'same-origin',
      });
      if (!response.ok) return close();
      const data = await response.json();
      if (input.value.trim() !== q) return undefined;
      const titles = (data.titles || []).map((t) => t.title);
      render([...new Set([...(data.completions || []), ...titles])].slice(0, MAX_OPTIONS));
    } catch {
      // Aborted by a newer keystroke, or offline: the plain form still works.
    }
    return undefined;
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < MIN_CHARS) {
      close();
      return;
    }
    timer = setTimeout(() => suggest(q), DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'Enter' && !list.hidden && active >= 0) {
      event.preventDefault();
      choose(options[active].textContent);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}
