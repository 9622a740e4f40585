#!/usr/bin/env python3
"""Peer baseline: SQLite FTS5 over the KPO demo content.

Usage: fts5_run.py CONTENT_DIR RUN_OUT JUDGMENTS_TSV

Indexes the published items in an in-memory FTS5 table (columns title, summary, tags,
body; tokenizer unicode61 remove_diacritics 2), runs every query of the
judgments file the way a typical FTS5 integration does (an OR of the quoted
query tokens, ranked by bm25 with weights title 5, summary 3, tags 3, body 1)
and writes a run file with lines `query_id<TAB>rank<TAB>item_id`, rank 1..10:
the best 10 the query's caller may read (anonymous: access public; after
"# as: GROUPS" in the judgments a member of those groups: also members, and
restricted items of one of the groups).

Python 3 standard library only.
"""

import pathlib
import sqlite3
import sys

TOP_K = 10
WANTED_KEYS = ("id", "title", "summary", "tags", "access", "status", "groups")


def parse_scalar(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == '"':
            inner = inner.replace('\\"', '"').replace("\\\\", "\\")
        else:
            inner = inner.replace("''", "'")
        return inner
    return value


def parse_list(value):
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        inner = value[1:-1].strip()
        if not inner:
            return []
        return [parse_scalar(part) for part in inner.split(",") if part.strip()]
    return [parse_scalar(value)] if value else []


def parse_item(path):
    """Tiny front-matter parser: `key: value` lines between two `---` lines.

    Only flat keys are read; tags may be an inline list `[a, b]` or a block
    list of `- a` lines.
    """
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    meta = {}
    current_list = None
    end = None
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            end = i
            break
        if current_list is not None and line.lstrip().startswith("- "):
            meta[current_list].append(parse_scalar(line.lstrip()[2:]))
            continue
        current_list = None
        if not line or line[0] in " \t#" or ":" not in line:
            continue
        key, _, value = line.partition(":")
        key = key.strip()
        if key not in WANTED_KEYS:
            continue
        if key in ("tags", "groups"):
            if value.strip():
                meta[key] = parse_list(value)
            else:
                meta[key] = []
                current_list = key
        else:
            meta[key] = parse_scalar(value)
    if end is None:
        return None
    meta["body"] = "\n".join(lines[end + 1:])
    return meta


def load_items(content_dir):
    items = []
    for path in sorted(pathlib.Path(content_dir).rglob("*.md")):
        meta = parse_item(path)
        if not meta or not meta.get("id"):
            continue
        if meta.get("status") != "published":
            continue
        items.append(meta)
    return items


def load_queries(judgments_path):
    queries = {}
    groups = []
    with open(judgments_path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("# as:"):
                groups = [g.strip() for g in line[5:].split(",") if g.strip()]
                continue
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 2:
                continue
            queries.setdefault(fields[0], (fields[1], groups))
    return queries


def readable(item, groups):
    """What KPO's access policy lets the caller read (access/policy.h)."""
    if item.get("access") == "public":
        return True
    if not groups:
        return False
    if item.get("access") == "members":
        return True
    return item.get("access") == "restricted" and any(g in groups for g in item.get("groups", []))


def to_match_expression(query):
    tokens = [t for t in query.split() if t]
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def main(argv):
    if len(argv) != 4:
        sys.stderr.write("usage: fts5_run.py CONTENT_DIR RUN_OUT JUDGMENTS_TSV\n")
        return 2
    content_dir, run_out, judgments_path = argv[1], argv[2], argv[3]
    items = load_items(content_dir)
    queries = load_queries(judgments_path)

    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5("
        "title, summary, tags, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for rowid, item in enumerate(items, start=1):
        db.execute(
            "INSERT INTO docs(rowid, title, summary, tags, body) VALUES (?, ?, ?, ?, ?)",
            (rowid, item.get("title", ""), item.get("summary", ""),
             ", ".join(item.get("tags", [])), item["body"]),
        )
    by_rowid = dict(enumerate(items, start=1))

    with open(run_out, "w", encoding="utf-8") as out:
        for qid, (text, groups) in queries.items():
            expr = to_match_expression(text)
            if not expr:
                continue
            try:
                rows = db.execute(
                    "SELECT rowid FROM docs WHERE docs MATCH ? "
                    "ORDER BY bm25(docs, 5.0, 3.0, 3.0, 1.0)",
                    (expr,),
                ).fetchall()
            except sqlite3.OperationalError as err:
                sys.stderr.write(f"{qid}: {err}\n")
                continue
            ranked = [by_rowid[r] for (r,) in rows if readable(by_rowid[r], groups)][:TOP_K]
            for rank, item in enumerate(ranked, start=1):
                out.write(f"{qid}\t{rank}\t{item['id']}\n")
    sys.stderr.write(f"fts5: {len(items)} items, {len(queries)} queries -> {run_out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
