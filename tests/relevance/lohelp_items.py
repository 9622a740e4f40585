#!/usr/bin/env python3
"""Real Dutch text for the relevance set: LibreOffice's Dutch help as KPO items.

Usage: lohelp_items.py OUT_DIR [HELP_DIR]

Reads the Dutch help pages of the Debian package libreoffice-help-nl
(HELP_DIR, default /usr/share/libreoffice/help/nl/text) and writes one KPO
content item per page to OUT_DIR (emptied first): front matter with id,
title (the page's <title>), type handreiking, access public, status
published; the body keeps the page's <h1>-<h6> headings as Markdown headings
and its paragraphs, list items and table cells as text. Navigation, scripts,
images and the "related topics" boxes are dropped. Pages with fewer than
20 words of body (redirects, empty stubs) are skipped. The repository's
vocabulary.yaml and glossary.yaml are copied along, so the items are indexed
exactly as demo content is.

Item ids are the page's path, lowercased, with every run of other characters
than a-z0-9 replaced by "-": text/swriter/guide/pagenumbers.html ->
lo-swriter-guide-pagenumbers. The judgments (lohelp_judgments.tsv) name these ids.

Python 3 standard library only; nothing it writes is committed.
"""

import html.parser
import pathlib
import re
import shutil
import sys

MIN_BODY_WORDS = 20
MAX_BODY_BYTES = 900_000  # KPO's limit is 1 MB
SKIP_TAGS = {"script", "style", "header", "aside", "nav", "noscript", "img", "button", "input",
             "label", "svg", "title"}
BLOCK_TAGS = {"p", "li", "td", "th", "div", "br", "pre", "tr", "table", "ol", "ul", "dd", "dt"}
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class Page(html.parser.HTMLParser):
    """Collects <title> and the Markdown of div#DisplayArea."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.in_title = False
        self.depth = 0          # open tags inside DisplayArea (0: outside)
        self.skip = 0           # open skipped tags
        self.related = 0        # open tags of a "relatedtopics" box
        self.heading = 0        # level of the open heading
        self.lines = []
        self.current = []

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        self.current = []
        if not text:
            return
        if self.heading:
            self.lines.append("#" * max(self.heading, 2) + " " + text)
        else:
            self.lines.append(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self.in_title = True
            return
        if self.depth == 0:
            if tag == "div" and attrs.get("id") == "DisplayArea":
                self.depth = 1
            return
        if tag not in ("br", "meta", "img", "input", "link", "hr", "wbr"):
            self.depth += 1
        if self.skip or self.related:
            if tag not in ("br", "meta", "img", "input", "link", "hr", "wbr"):
                if self.skip:
                    self.skip += 1
                else:
                    self.related += 1
            return
        if tag in SKIP_TAGS and tag not in ("br", "img", "input"):
            self.skip = 1
            return
        # "relatedtopics": links to other pages; class MAC: the macOS variant
        # of a key (the default variant is kept).
        if (attrs.get("class") or "") in ("relatedtopics", "MAC"):
            self.related = 1
            return
        if tag in HEADINGS:
            self.flush()
            self.heading = HEADINGS[tag]
        elif tag in BLOCK_TAGS:
            self.flush()

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if self.depth == 0 or tag in ("br", "meta", "img", "input", "link", "hr", "wbr"):
            return
        self.depth -= 1
        if self.skip:
            self.skip -= 1
            return
        if self.related:
            self.related -= 1
            return
        if tag in HEADINGS:
            self.flush()
            self.heading = 0
        elif tag in BLOCK_TAGS:
            self.flush()
        if self.depth == 0:
            self.flush()

    def handle_data(self, data):
        if self.in_title:
            self.title += data
            return
        if self.depth and not self.skip and not self.related:
            self.current.append(data)


def item_id(rel_path):
    stem = str(rel_path.with_suffix("")).lower()
    return "lo-" + re.sub(r"[^a-z0-9]+", "-", stem).strip("-")


def yaml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def convert(help_dir, out_dir):
    written = 0
    seen = set()
    for path in sorted(help_dir.rglob("*.html")):
        page = Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        page.flush()
        title = re.sub(r"\s+", " ", page.title).strip()
        lines = page.lines
        # The first heading usually repeats the title: the title field has it.
        if lines and lines[0].lstrip("#").strip() == title:
            lines = lines[1:]
        body = "\n\n".join(lines)
        if not title or len(body.split()) < MIN_BODY_WORDS:
            continue
        body = body.encode("utf-8")[:MAX_BODY_BYTES].decode("utf-8", errors="ignore")
        ident = item_id(path.relative_to(help_dir))
        if ident in seen:
            continue
        seen.add(ident)
        front = ["---", f"id: {ident}", f"title: {yaml_string(title[:300])}", "type: handreiking",
                 "access: public", "published: 2022-08-01", "status: published", "---", ""]
        (out_dir / f"{ident}.md").write_text("\n".join(front) + body + "\n", encoding="utf-8")
        written += 1
    return written


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: lohelp_items.py OUT_DIR [HELP_DIR]\n")
        return 2
    out_dir = pathlib.Path(argv[1])
    help_dir = pathlib.Path(argv[2] if len(argv) == 3 else "/usr/share/libreoffice/help/nl/text")
    if not help_dir.is_dir():
        sys.stderr.write(f"lohelp_items.py: {help_dir} ontbreekt: apt-get install "
                         "libreoffice-help-nl (scripts/test.sh installeert het)\n")
        return 2
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    repo_content = pathlib.Path(__file__).resolve().parents[2] / "content"
    for name in ("vocabulary.yaml", "glossary.yaml"):
        shutil.copy(repo_content / name, out_dir / name)
    written = convert(help_dir, out_dir)
    sys.stderr.write(f"lohelp_items.py: {written} items -> {out_dir}\n")
    return 0 if written > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
