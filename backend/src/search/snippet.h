// Snippets: the passage of a text that best shows why it matched, HTML-escaped,
// with <mark> around every word that matched (stems, compound parts and
// synonyms included, because matching uses the same analysis as indexing).
#pragma once

#include <string>

#include "search/analyzer.h"
#include "search/query.h"

namespace kpo::search {

// At most `max_words` words of `text` around the densest cluster of
// matches; "…" marks cut ends. Without matches: the start of the text.
// `analyzer` must belong to the calling thread.
std::string MakeSnippet(const std::string& text, const Highlight& highlight, Analyzer* analyzer,
                        size_t max_words = 30);

// Escapes &, <, >, " and ' for HTML text and attributes.
std::string EscapeHtml(const std::string& text);

}  // namespace kpo::search
