// Enhances the server-rendered portal (docs/portal.md). Every page works
// without this script; it only adds the autocomplete combobox, filter
// changes without a reload, the phone's "Filters" button and the warning
// before a session expires.
import { enhanceCombobox } from './combobox.js';
import { enhanceFilters } from './filters.js';
import { watchSession } from './session.js';

document.documentElement.classList.add('kpo-js');
for (const input of document.querySelectorAll('input[data-suggest]')) enhanceCombobox(input);
const results = document.getElementById('kpo-results');
if (results) enhanceFilters(results);
watchSession(document.body);
