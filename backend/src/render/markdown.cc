// Implements markdown.h.
#include "render/markdown.h"

#include <cmark.h>

#include <cctype>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kpo::render {

namespace {

// Never CMARK_OPT_UNSAFE: safe mode is what keeps <script> and javascript:
// links out of every page.
constexpr int kOptions = CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;

struct NodeFree {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct IterFree {
  void operator()(cmark_iter* i) const { cmark_iter_free(i); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeFree>;

// ---- GFM pipe tables -------------------------------------------------------
// cmark (CommonMark only) reads a pipe table as one paragraph. The tables of
// content/ are found after parsing, from the paragraph's source lines, and
// the paragraph is replaced by custom nodes whose on_enter/on_exit are the
// constant strings below (cmark writes those verbatim, so nothing typed by an
// author ever goes there); each cell's text is parsed by cmark itself, so
// emphasis, links and code in a cell are rendered, escaped and made safe
// exactly as elsewhere.

enum class Align { kNone, kLeft, kCenter, kRight };

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The source split into lines as cmark counts them (line 1 is [0]); a CR
// before the LF is dropped.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // cmark skips a byte order mark at the start; so do the rows.
    if (start == 0 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

bool IsAsciiPunct(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// The cells of a table row: split on each `|` that is neither escaped (`\|`
// is a literal pipe) nor inside a code span; a leading and a trailing pipe
// only delimit. False when the row has no delimiting pipe at all: such a
// line is never a header or delimiter row.
bool SplitRow(std::string_view line, std::vector<std::string>* cells) {
  line = Trim(line);
  cells->clear();
  std::string cell;
  bool piped = false;
  bool ends_with_pipe = false;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    ends_with_pipe = false;
    if (c == '\\' && i + 1 < line.size() && IsAsciiPunct(line[i + 1])) {
      cell.append(line.substr(i, 2));  // cmark unescapes `\|` itself
      i += 2;
    } else if (c == '`') {
      size_t run = 0;
      while (i + run < line.size() && line[i + run] == '`') ++run;
      // The closing run has exactly the opening run's length.
      size_t close = i + run;
      for (;;) {
        close = line.find('`', close);
        if (close == std::string_view::npos) break;
        size_t n = 0;
        while (close + n < line.size() && line[close + n] == '`') ++n;
        if (n == run) break;
        close += n;
      }
      if (close == std::string_view::npos) {
        cell.append(run, '`');  // no closing run: literal backticks
        i += run;
        continue;
      }
      // Inside code a backslash is literal, so `\|` is turned into the
      // pipe here (as GFM does) rather than by cmark.
      std::string_view code = line.substr(i, close + run - i);
      for (size_t k = 0; k < code.size(); ++k) {
        if (code[k] == '\\' && k + 1 < code.size() && code[k + 1] == '|') continue;
        cell += code[k];
      }
      i = close + run;
    } else if (c == '|') {
      piped = true;
      if (i > 0) cells->push_back(cell);  // a leading pipe opens no cell
      cell.clear();
      ends_with_pipe = true;
      ++i;
    } else {
      cell += c;
      ++i;
    }
  }
  if (!ends_with_pipe) cells->push_back(cell);
  return piped;
}

// A delimiter row: `|? :?-+:? (| :?-+:?)* |?`, with at least one pipe.
bool DelimiterRow(std::string_view line, std::vector<Align>* aligns) {
  std::vector<std::string> cells;
  if (!SplitRow(line, &cells) || cells.empty()) return false;
  aligns->clear();
  for (const std::string& raw : cells) {
    std::string_view c = Trim(raw);
    const bool left = !c.empty() && c.front() == ':';
    const bool right = c.size() > 1 && c.back() == ':';
    if (left) c.remove_prefix(1);
    if (right) c.remove_suffix(1);
    if (c.empty() || c.find_first_not_of('-') != std::string_view::npos) return false;
    aligns->push_back(left && right ? Align::kCenter
                      : right       ? Align::kRight
                      : left        ? Align::kLeft
                                    : Align::kNone);
  }
  return true;
}

cmark_node* NewCustom(cmark_node_type type, const char* enter, const char* exit) {
  cmark_node* node = cmark_node_new(type);
  cmark_node_set_on_enter(node, enter);
  cmark_node_set_on_exit(node, exit);
  return node;
}

// The opening tag of a cell: a fixed string per kind and alignment (a class,
// never a style attribute: the CSP forbids inline styles).
const char* CellOpen(bool header, Align align) {
  switch (align) {
    case Align::kLeft:
      return header
                 ? "<th scope=\"col\" class=\"utrecht-table__header-cell kpo-table__cell--left\">"
                 : "<td class=\"utrecht-table__cell kpo-table__cell--left\">";
    case Align::kCenter:
      return header
                 ? "<th scope=\"col\" class=\"utrecht-table__header-cell kpo-table__cell--center\">"
                 : "<td class=\"utrecht-table__cell kpo-table__cell--center\">";
    case Align::kRight:
      return header
                 ? "<th scope=\"col\" class=\"utrecht-table__header-cell kpo-table__cell--right\">"
                 : "<td class=\"utrecht-table__cell kpo-table__cell--right\">";
    case Align::kNone:
      break;
  }
  return header ? "<th scope=\"col\" class=\"utrecht-table__header-cell\">"
                : "<td class=\"utrecht-table__cell\">";
}

// One cell: its text parsed by cmark as inline content. The text is parsed
// after a no-break space, so that it can only be a paragraph ("# x", "- x",
// "1. x" or "[x]: y" in a cell stay text, as in GFM) while emphasis at its
// start still opens (U+00A0 counts as whitespace for flanking); the space is
// taken off the first text node again.
cmark_node* NewCell(const std::string& text, bool header, Align align) {
  cmark_node* cell =
      NewCustom(CMARK_NODE_CUSTOM_INLINE, CellOpen(header, align), header ? "</th>" : "</td>");
  static constexpr std::string_view kNbsp = "\xC2\xA0";
  const std::string source = std::string(kNbsp) + std::string(Trim(text));
  NodePtr doc(cmark_parse_document(source.data(), source.size(), kOptions));
  cmark_node* para = cmark_node_first_child(doc.get());
  if (para == nullptr || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) return cell;
  while (cmark_node* child = cmark_node_first_child(para)) {
    cmark_node_unlink(child);
    cmark_node_append_child(cell, child);
  }
  cmark_node* first = cmark_node_first_child(cell);
  if (first != nullptr && cmark_node_get_type(first) == CMARK_NODE_TEXT) {
    std::string_view lit = cmark_node_get_literal(first);
    if (lit.substr(0, kNbsp.size()) == kNbsp) lit.remove_prefix(kNbsp.size());
    if (lit.empty()) {
      cmark_node_free(first);  // unlinks it
    } else {
      cmark_node_set_literal(first, std::string(lit).c_str());
    }
  }
  return cell;
}

cmark_node* NewRow(const std::vector<std::string>& cells, const std::vector<Align>& aligns,
                   bool header) {
  cmark_node* row =
      NewCustom(CMARK_NODE_CUSTOM_BLOCK, "<tr class=\"utrecht-table__row\">", "</tr>");
  // As in GFM: a short row is padded, a long one's extra cells dropped.
  for (size_t i = 0; i < aligns.size(); ++i) {
    cmark_node_append_child(row, NewCell(i < cells.size() ? cells[i] : "", header, aligns[i]));
  }
  return row;
}

// The table of `para` (a top-level paragraph), the `number`th of the text,
// or null when its source lines
// are not a header row, a delimiter row with as many cells, and body rows.
cmark_node* TableOf(cmark_node* para, const std::vector<std::string_view>& lines, int number) {
  const int first = cmark_node_get_start_line(para);
  int last = cmark_node_get_end_line(para);
  if (first < 1 || last > static_cast<int>(lines.size()) || last - first < 1) return nullptr;
  std::vector<std::string> header;
  std::vector<Align> aligns;
  if (!SplitRow(lines[first - 1], &header) || !DelimiterRow(lines[first], &aligns) ||
      header.size() != aligns.size()) {
    return nullptr;
  }
  // Wide tables scroll inside this container, not the page (320 px); it is
  // focusable so that keyboard users can scroll it too, and so a region with
  // a name. The name is "Tabel <n>" from a counter (landmark names must
  // differ on a page), never from the author's text.
  const std::string open = "<div class=\"kpo-table-scroll\" role=\"region\" aria-label=\"Tabel " +
                           std::to_string(number) + "\" tabindex=\"0\">";
  cmark_node* scroll = NewCustom(CMARK_NODE_CUSTOM_BLOCK, open.c_str(), "</div>");
  cmark_node* table =
      NewCustom(CMARK_NODE_CUSTOM_BLOCK,
                "<table class=\"utrecht-table utrecht-table--html-table kpo-table\">", "</table>");
  cmark_node_append_child(scroll, table);
  cmark_node* head =
      NewCustom(CMARK_NODE_CUSTOM_BLOCK, "<thead class=\"utrecht-table__header\">", "</thead>");
  cmark_node_append_child(table, head);
  cmark_node_append_child(head, NewRow(header, aligns, true));
  if (last > first + 1) {
    cmark_node* body =
        NewCustom(CMARK_NODE_CUSTOM_BLOCK, "<tbody class=\"utrecht-table__body\">", "</tbody>");
    cmark_node_append_child(table, body);
    std::vector<std::string> cells;
    for (int line = first + 2; line <= last; ++line) {
      if (Trim(lines[line - 1]).empty()) continue;
      SplitRow(lines[line - 1], &cells);
      cmark_node_append_child(body, NewRow(cells, aligns, false));
    }
  }
  return scroll;
}

// Replaces each top-level paragraph that is a pipe table by the table.
// Only top-level: a table's lines in a list item or quote carry the
// container's markers, and a fenced or indented code block is no paragraph.
void AddTables(cmark_node* doc, std::string_view markdown) {
  std::vector<std::string_view> lines;
  int tables = 0;
  for (cmark_node* node = cmark_node_first_child(doc); node != nullptr;) {
    cmark_node* next = cmark_node_next(node);
    if (cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH) {
      if (lines.empty()) lines = Lines(markdown);
      if (cmark_node* table = TableOf(node, lines, tables + 1)) {
        ++tables;
        cmark_node_replace(node, table);
        cmark_node_free(node);
      }
    }
    node = next;
  }
}

// cmark's safe mode (its _scan_dangerous_url): javascript:, vbscript:,
// file:, and data: but for a few image types. Compared case-insensitively.
bool DangerousUrl(std::string_view url) {
  auto starts = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  if (starts("javascript:") || starts("vbscript:") || starts("file:")) return true;
  return starts("data:") && !starts("data:image/png") && !starts("data:image/gif") &&
         !starts("data:image/jpeg") && !starts("data:image/webp");
}

// Stands for a link's text when that text is the very address it hides: an
// autolink (`<https://…/items/x>`) or `[/items/x](/items/x)`.
constexpr const char* kHiddenAddress = "(link niet beschikbaar)";

// True when the text of link `node` is its target as written out: the whole
// target, or its path (`[/items/x](https://kpo.nl/items/x)`).
bool TextIsAddress(cmark_node* node, std::string_view url) {
  std::string text;
  for (cmark_node* c = cmark_node_first_child(node); c != nullptr; c = cmark_node_next(c)) {
    if (cmark_node_get_type(c) != CMARK_NODE_TEXT) return false;
    text += cmark_node_get_literal(c);
  }
  if (text == url) return true;
  return text.size() > 1 && text.front() == '/' && url.size() > text.size() &&
         url.substr(url.size() - text.size()) == text;
}

// Every link and image whose target `unlink` picks becomes its text; its
// children (the link text, the image's alt text) take its place. With
// `hide_address`, a link whose text is its address becomes kHiddenAddress.
void Unlink(cmark_node* doc, const std::function<bool(const char* url)>& unlink,
            bool hide_address = false) {
  std::vector<cmark_node*> picked;
  {
    std::unique_ptr<cmark_iter, IterFree> iter(cmark_iter_new(doc));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      const cmark_node_type type = cmark_node_get_type(node);
      if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE)) {
        continue;
      }
      const char* url = cmark_node_get_url(node);
      if (url != nullptr && unlink(url)) picked.push_back(node);
    }
  }
  // Innermost last in document order, so unlinking an outer node first
  // keeps the inner ones alive (they move, they are not freed).
  for (cmark_node* node : picked) {
    if (hide_address && cmark_node_get_type(node) == CMARK_NODE_LINK &&
        TextIsAddress(node, cmark_node_get_url(node))) {
      cmark_node* text = cmark_node_new(CMARK_NODE_TEXT);
      cmark_node_set_literal(text, kHiddenAddress);
      cmark_node_insert_before(node, text);
      cmark_node_free(node);
      continue;
    }
    while (cmark_node* child = cmark_node_first_child(node)) cmark_node_insert_before(node, child);
    cmark_node_free(node);
  }
}

// A link or image whose target safe mode would blank becomes its text:
// cmark would write href="" (a link to the page itself, announced as a link)
// or src="" (an empty image).
NodePtr Parse(const std::string& markdown) {
  NodePtr doc(cmark_parse_document(markdown.data(), markdown.size(), kOptions));
  AddTables(doc.get(), markdown);
  Unlink(doc.get(), DangerousUrl);
  return doc;
}

std::string Html(cmark_node* doc) {
  char* html = cmark_render_html(doc, kOptions);
  std::string out(html);
  free(html);  // NOLINT: cmark allocates with malloc
  return out;
}

}  // namespace

std::string MarkdownToHtml(const std::string& markdown) { return Html(Parse(markdown).get()); }

std::string MarkdownToHtml(const std::string& markdown,
                           const std::function<bool(const std::string& url)>& keep) {
  NodePtr doc = Parse(markdown);
  Unlink(
      doc.get(), [&](const char* url) { return !keep(url); }, /*hide_address=*/true);
  return Html(doc.get());
}

std::vector<std::string> LinkTargets(const std::string& markdown) {
  NodePtr doc = Parse(markdown);
  std::unique_ptr<cmark_iter, IterFree> iter(cmark_iter_new(doc.get()));
  std::vector<std::string> out;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const cmark_node_type type = cmark_node_get_type(node);
    if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE)) continue;
    const char* url = cmark_node_get_url(node);
    if (url != nullptr && *url != '\0') out.emplace_back(url);
  }
  return out;
}

NotShown FindNotShown(const std::string& markdown) {
  // Parsed as Parse does, but before the blocked targets become text.
  NodePtr doc(cmark_parse_document(markdown.data(), markdown.size(), kOptions));
  AddTables(doc.get(), markdown);
  NotShown out;
  std::unique_ptr<cmark_iter, IterFree> iter(cmark_iter_new(doc.get()));
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    const cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      ++out.html;
      continue;
    }
    if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
    const char* url = cmark_node_get_url(node);
    if (url == nullptr) continue;
    const std::string_view target(url);
    if (DangerousUrl(target)) {
      out.blocked.emplace_back(target);
    } else if (type == CMARK_NODE_IMAGE &&
               (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0 ||
                target.rfind("//", 0) == 0)) {
      out.external_images.emplace_back(target);
    }
  }
  return out;
}

std::string MarkdownToText(const std::string& markdown) {
  NodePtr doc = Parse(markdown);
  std::unique_ptr<cmark_iter, IterFree> iter(cmark_iter_new(doc.get()));
  std::string out;
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter.get())) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    cmark_node_type type = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER) {
      if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE || type == CMARK_NODE_CODE_BLOCK) {
        const char* lit = cmark_node_get_literal(node);
        if (lit != nullptr) out += lit;
      } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
        out += ' ';
      }
    } else if (ev == CMARK_EVENT_EXIT && type == CMARK_NODE_CUSTOM_INLINE) {
      // A table cell: cells of a row are separated by a space.
      if (!out.empty() && out.back() != '\n' && out.back() != ' ') out += ' ';
    } else if (ev == CMARK_EVENT_EXIT &&
               (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
                type == CMARK_NODE_ITEM || type == CMARK_NODE_BLOCK_QUOTE ||
                type == CMARK_NODE_CUSTOM_BLOCK)) {
      // A table row ends a line like a paragraph.
      if (!out.empty() && out.back() == ' ' && type == CMARK_NODE_CUSTOM_BLOCK) out.pop_back();
      if (!out.empty() && out.back() != '\n') out += '\n';
    }
  }
  return out;
}

}  // namespace kpo::render
