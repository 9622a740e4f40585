// Implements snippet.h.
#include "search/snippet.h"

#include <algorithm>

#include "search/schema.h"

namespace kpo::search {

std::string EscapeHtml(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool Snippets::Matches(const std::string& word) {
  auto [it, fresh] = decided_.emplace(word, false);
  if (!fresh) return it->second;
  const Highlight& hl = highlight_;
  bool match = hl.terms.count(word) > 0;
  for (const auto& p : hl.prefixes) {
    if (!match && word.compare(0, p.size(), p) == 0) match = true;
  }
  if (!match && !IsStopword(word)) {
    match = hl.terms.count(schema::Term(schema::kStem, analyzer_->Stem(word))) > 0;
    for (const auto& part : match ? std::vector<std::string>() : analyzer_->CompoundParts(word)) {
      if (hl.terms.count(schema::Term(schema::kStem, analyzer_->Stem(part))) > 0) match = true;
    }
  }
  it->second = match;
  return match;
}

std::string Snippets::Make(const std::string& text, size_t max_words) {
  auto tokens = Tokenize(text);
  if (tokens.empty()) return {};
  std::vector<bool> hit(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) hit[i] = Matches(tokens[i].text);
  size_t window = std::min(max_words, tokens.size());
  size_t best_start = 0;
  size_t best = 0;
  size_t count = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (hit[i]) ++count;
    if (i >= window && hit[i - window]) --count;
    if (i + 1 >= window && count > best) {
      best = count;
      best_start = i + 1 - window;
    }
  }
  // Start a little before the first match so it has context.
  if (best > 0) {
    size_t first = best_start;
    while (first < tokens.size() && !hit[first]) ++first;
    best_start = first > 3 ? first - 3 : 0;
    if (best_start + window > tokens.size()) best_start = tokens.size() - window;
  }
  size_t last = best_start + window - 1;
  std::string out;
  if (best_start > 0) out += "… ";
  size_t pos = tokens[best_start].begin;
  for (size_t i = best_start; i <= last; ++i) {
    out += EscapeHtml(text.substr(pos, tokens[i].begin - pos));
    std::string word = EscapeHtml(text.substr(tokens[i].begin, tokens[i].end - tokens[i].begin));
    out += hit[i] ? "<mark>" + word + "</mark>" : word;
    pos = tokens[i].end;
  }
  if (last + 1 < tokens.size()) {
    out += " …";
  } else {
    out += EscapeHtml(text.substr(pos));
  }
  // Newlines from block structure read as spaces in a snippet.
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace kpo::search
