// Enhances the server-rendered portal (docs/portal.md). Every page works
// without this script; it only adds the autocomplete combobox, filter
// changes without a reload, the phone's "Filters" button, the warning
// before a session expires, the editor's live preview (issue 10) and the
// offer to put back text a form sent after its session ended.
import { enhanceCombobox } from './combobox.js';
import { enhanceEditor } from './editor.js';
import { enhanceFilters } from './filters.js';
import { watchSession } from './session.js';
import { watchUnsent } from './unsent.js';

document.documentElement.classList.add('kpo-js');
for (const input of document.querySelectorAll('input[data-suggest]')) enhanceCombobox(input);
const results = document.getElementById('kpo-results');
if (results) enhanceFilters(results);
watchSession(document.body);
watchUnsent();
const editor = document.getElementById('kpo-editor-form');
if (editor) enhanceEditor(editor);
