// Implements slug.h.
#include "search/slug.h"

#include <cctype>

#include "search/analyzer.h"

namespace kpo::search {

std::string Slug(std::string_view title, std::string_view fallback) {
  std::string out;
  bool dash = false;
  // Folded first: "één" must become "een", not a run of dashes.
  for (unsigned char c : Fold(title)) {
    if (std::isalnum(c) && c < 0x80) {
      if (dash && !out.empty()) out += '-';
      out += static_cast<char>(std::tolower(c));
      dash = false;
    } else {
      dash = true;
    }
    if (out.size() >= 60) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string(fallback) : out;
}

}  // namespace kpo::search
