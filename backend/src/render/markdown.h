// Markdown to HTML and plain text with cmark. Owns: the only calls into
// cmark. Always cmark's safe mode: raw HTML is dropped, and a javascript:,
// vbscript:, file: or data: link or image is written as its text, never as a
// link or image. Thread-safe (cmark keeps no shared state).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace kpo::render {

// HTML for `markdown` (UTF-8). Invalid UTF-8 is replaced, never passed on.
std::string MarkdownToHtml(const std::string& markdown);

// As above, for one reader: a link or image whose target `keep` refuses is
// written as its text (an image as its alt text), so its address is not on
// the page (knowledge::KnowledgeBase::ReaderHtml: a link to an item the
// reader may not read). A link whose text is the address itself (an
// autolink, say) is written as "(link niet beschikbaar)".
std::string MarkdownToHtml(const std::string& markdown,
                           const std::function<bool(const std::string& url)>& keep);

// The readable text of `markdown`: paragraphs, headings, list items and
// code, without markup. Used for indexing and snippets.
std::string MarkdownToText(const std::string& markdown);

// The target of every link and image `markdown` renders, as cmark reads it
// (reference links resolved, entities decoded), in order; those written as
// text (MarkdownToHtml's blocked schemes) are left out.
std::vector<std::string> LinkTargets(const std::string& markdown);

// What `markdown` holds that no page shows, for the editor's writing aids:
// until now it was dropped without a word.
struct NotShown {
  // Raw HTML blocks and inline tags (safe mode drops them).
  int html = 0;
  // Link and image targets with a blocked scheme (javascript:, vbscript:,
  // file:, data: but for a few image types), as written: shown as text.
  std::vector<std::string> blocked;
  // Image sources on another site (http://, https://, //): the portal's
  // content security policy loads images from its own address only.
  std::vector<std::string> external_images;
};
NotShown FindNotShown(const std::string& markdown);

}  // namespace kpo::render
