// libFuzzer target: the Markdown rendering path (cmark in safe mode). Any
// input must render, and the HTML must never carry raw HTML from the input
// or a javascript: link (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "render/markdown.h"

namespace {

bool ContainsNoCase(const std::string& haystack, const std::string& lower_needle) {
  std::string lower = haystack;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower.find(lower_needle) != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string markdown(reinterpret_cast<const char*>(data), size);
  const std::string html = kpo::render::MarkdownToHtml(markdown);
  (void)kpo::render::MarkdownToText(markdown);
  // Safe mode: tags written by the author never pass; links to script
  // schemes lose their target.
  if (ContainsNoCase(html, "<script") || ContainsNoCase(html, "<iframe") ||
      ContainsNoCase(html, "href=\"javascript:") || ContainsNoCase(html, "src=\"javascript:")) {
    std::abort();
  }
  return 0;
}
