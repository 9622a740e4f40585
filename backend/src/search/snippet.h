// Snippets: the passage of a text that best shows why it matched, HTML-escaped,
// with <mark> around every word that matched (stems, compound parts and
// synonyms included, because matching uses the same analysis as indexing).
#pragma once

#include <string>
#include <unordered_map>

#include "search/analyzer.h"
#include "search/query.h"

namespace kpo::search {

// Makes the snippets of one result page. Whether a word matched is decided
// once per distinct word and page (a page of 10 bodies has ~3 500 words but
// a few hundred distinct ones; deciding costs stemming, compound splitting
// and set lookups). Thread-safety: one per thread, like its Analyzer.
class Snippets {
 public:
  Snippets(const Highlight& highlight, Analyzer* analyzer)
      : highlight_(highlight), analyzer_(analyzer) {}
  // At most `max_words` words of `text` around the densest cluster of
  // matches; "…" marks cut ends. Without matches: the start of the text.
  std::string Make(const std::string& text, size_t max_words = 30);

 private:
  bool Matches(const std::string& word);

  const Highlight& highlight_;
  Analyzer* analyzer_;
  std::unordered_map<std::string, bool> decided_;
};

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string EscapeHtml(const std::string& text);

}  // namespace kpo::search
