// Peer baseline: MiniSearch over the KPO demo content.
//
// Usage: node minisearch_run.mjs CONTENT_DIR RUN_OUT JUDGMENTS_TSV
//
// Indexes the published items with fields title/summary/tags/body, searches every query
// of the judgments file with MiniSearch's recommended options (boost title 5,
// summary 3, tags 3; prefix: true; fuzzy: 0.2) and writes a run file with
// lines `query_id<TAB>rank<TAB>item_id`, rank 1..10: the best 10 the query's
// caller may read (anonymous: access public; after "# as: GROUPS" in the
// judgments a member of those groups: also members, and restricted items of
// one of the groups).

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import MiniSearch from 'minisearch';

const TOP_K = 10;
const WANTED_KEYS = new Set(['id', 'title', 'summary', 'tags', 'access', 'status', 'groups']);

function parseScalar(value) {
  const v = value.trim();
  if (v.length >= 2 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) {
    const inner = v.slice(1, -1);
    return v[0] === '"'
      ? inner.replace(/\\"/g, '"').replace(/\\\\/g, '\\')
      : inner.replace(/''/g, "'");
  }
  return v;
}

function parseList(value) {
  const v = value.trim();
  if (v.startsWith('[') && v.endsWith(']')) {
    const inner = v.slice(1, -1).trim();
    if (!inner) return [];
    return inner.split(',').filter((p) => p.trim()).map(parseScalar);
  }
  return v ? [parseScalar(v)] : [];
}

// Tiny front-matter parser: `key: value` lines between two `---` lines.
// Tags may be an inline list `[a, b]` or a block list of `- a` lines.
function parseItem(text) {
  const lines = text.split(/\r?\n/);
  if (!lines.length || lines[0].trim() !== '---') return null;
  const meta = {};
  let currentList = null;
  let end = -1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '---') { end = i; break; }
    if (currentList && line.trimStart().startsWith('- ')) {
      meta[currentList].push(parseScalar(line.trimStart().slice(2)));
      continue;
    }
    currentList = null;
    if (!line || ' \t#'.includes(line[0]) || !line.includes(':')) continue;
    const colon = line.indexOf(':');
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1);
    if (!WANTED_KEYS.has(key)) continue;
    if (key === 'tags' || key === 'groups') {
      if (value.trim()) {
        meta[key] = parseList(value);
      } else {
        meta[key] = [];
        currentList = key;
      }
    } else {
      meta[key] = parseScalar(value);
    }
  }
  if (end < 0) return null;
  meta.body = lines.slice(end + 1).join('\n');
  return meta;
}

function listMarkdown(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listMarkdown(full));
    else if (entry.isFile() && entry.name.endsWith('.md')) out.push(full);
  }
  return out.sort();
}

function loadItems(contentDir) {
  const items = [];
  for (const file of listMarkdown(contentDir)) {
    const meta = parseItem(fs.readFileSync(file, 'utf8'));
    if (!meta || !meta.id) continue;
    if (meta.status !== 'published') continue;
    items.push({
      access: meta.access,
      groups: meta.groups || [],
      id: meta.id,
      title: meta.title || '',
      summary: meta.summary || '',
      tags: (meta.tags || []).join(', '),
      body: meta.body,
    });
  }
  return items;
}

function loadQueries(judgmentsPath) {
  const queries = new Map();
  let as = [];
  for (const line of fs.readFileSync(judgmentsPath, 'utf8').split(/\r?\n/)) {
    if (line.startsWith('# as:')) {
      as = line.slice(5).split(',').map((g) => g.trim()).filter(Boolean);
      continue;
    }
    if (!line.trim() || line.startsWith('#')) continue;
    const fields = line.split('\t');
    if (fields.length < 2) continue;
    if (!queries.has(fields[0])) queries.set(fields[0], { text: fields[1], groups: as });
  }
  return queries;
}

// What KPO's access policy lets the caller read (access/policy.h).
function readable(item, groups) {
  if (item.access === 'public') return true;
  if (groups.length === 0) return false;
  if (item.access === 'members') return true;
  return item.access === 'restricted' && item.groups.some((g) => groups.includes(g));
}

// Lowercase and strip diacritics (NFD, then drop combining marks).
function processTerm(term) {
  const t = term.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
  return t || null;
}

function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write('usage: node minisearch_run.mjs CONTENT_DIR RUN_OUT JUDGMENTS_TSV\n');
    return 2;
  }
  const [contentDir, runOut, judgmentsPath] = argv;
  const items = loadItems(contentDir);
  const queries = loadQueries(judgmentsPath);

  const ms = new MiniSearch({
    idField: 'id',
    fields: ['title', 'summary', 'tags', 'body'],
    processTerm,
    searchOptions: {
      boost: { title: 5, summary: 3, tags: 3 },
      prefix: true,
      fuzzy: 0.2,
    },
  });
  ms.addAll(items);

  const byId = new Map(items.map((item) => [item.id, item]));
  const lines = [];
  for (const [qid, { text, groups }] of queries) {
    const hits = ms.search(text).filter((h) => readable(byId.get(h.id), groups)).slice(0, TOP_K);
    hits.forEach((hit, i) => lines.push(`${qid}\t${i + 1}\t${hit.id}`));
  }
  fs.writeFileSync(runOut, lines.length ? lines.join('\n') + '\n' : '');
  process.stderr.write(`minisearch: ${items.length} items, ${queries.size} queries -> ${runOut}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
