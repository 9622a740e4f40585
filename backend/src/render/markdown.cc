// Implements markdown.h.
#include "render/markdown.h"

#include <cmark.h>

#include <cstdlib>
#include <memory>

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

}  // namespace

std::string MarkdownToHtml(const std::string& markdown) {
  std::unique_ptr<cmark_node, NodeFree> doc(
      cmark_parse_document(markdown.data(), markdown.size(), kOptions));
  char* html = cmark_render_html(doc.get(), kOptions);
  std::string out(html);
  free(html);  // NOLINT: cmark allocates with malloc
  return out;
}

std::string MarkdownToText(const std::string& markdown) {
  std::unique_ptr<cmark_node, NodeFree> doc(
      cmark_parse_document(markdown.data(), markdown.size(), kOptions));
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
    } else if (ev == CMARK_EVENT_EXIT &&
               (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING ||
                type == CMARK_NODE_ITEM || type == CMARK_NODE_BLOCK_QUOTE)) {
      if (!out.empty() && out.back() != '\n') out += '\n';
    }
  }
  return out;
}

}  // namespace kpo::render
