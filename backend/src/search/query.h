// The KPO query language and its translation to Xapian. Owns: parsing what a
// person types (words, "phrases", -exclusion, OR, prefix*) and expanding each
// word into everything it means (stem, compound parts, glossary synonyms).
// May not touch: access decisions (the caller passes the filter), storage.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include <xapian.h>

#include "content/glossary.h"
#include "search/analyzer.h"

namespace kpo::search {

struct Clause {
  enum class Kind { kWord, kPhrase, kPrefix };
  Kind kind = Kind::kWord;
  std::vector<std::string> words;  // folded
};

struct ParsedQuery {
  // AND over groups; the clauses of one group are alternatives (OR).
  std::vector<std::vector<Clause>> groups;
  std::vector<Clause> excluded;
  // The text held something, but only operators or punctuation.
  bool only_operators = false;
  bool empty() const { return groups.empty() && excluded.empty(); }
};

// Parses `text` (valid UTF-8, control characters already removed). Never
// fails: unbalanced quotes close at the end, dangling operators are ignored.
ParsedQuery ParseQuery(const std::string& text);

// What a built query matches, for highlighting snippets.
struct Highlight {
  std::set<std::string> terms;        // "Z"+stem and unprefixed words
  std::vector<std::string> prefixes;  // folded prefixes of prefix* clauses
};

struct BuiltQuery {
  Xapian::Query strict;   // all groups required
  Xapian::Query relaxed;  // any group suffices (used when strict finds nothing)
  // Three or more words read as a question ("hoe pak ik vakantieparken
  // aan"): ranked by how many words match instead of requiring all. Chosen
  // by measurement: nDCG@10 0.828 -> 0.853 on tests/relevance (docs/search.md).
  bool prefer_relaxed = false;
  bool match_all = false;  // no positive clause: everything (minus exclusions)
  Highlight highlight;
};

// Builds the Xapian queries for `parsed`. Prefixes are expanded by Xapian
// against the searched database. `analyzer` must belong to the calling thread.
// `indexed_word`, when given, tells whether a word occurs in the index; query
// compounds may then split into such words too.
BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer* analyzer,
                      const content::Glossary& glossary,
                      const std::function<bool(const std::string&)>* indexed_word = nullptr);

// The words of `parsed` in order, for spelling correction.
std::vector<std::string> QueryWords(const ParsedQuery& parsed);

}  // namespace kpo::search
