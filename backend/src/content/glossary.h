// The glossary (content/glossary.yaml): groups of equivalent terms and
// abbreviations ("wwft" = "wet ter voorkoming van witwassen en financieren van
// terrorisme"), expanded at query time in both directions.
// Owns: loading and matching. Terms are kept as folded token sequences; the
// folding is search's (search/glossary_terms.h passes it in), so that terms
// match the words the index holds while content/ stays below search/.
// Immutable after loading: thread-safe to share.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kpo/status.h"

namespace kpo::content {

class Glossary {
 public:
  using Term = std::vector<std::string>;  // folded words of one term
  // Splits one term as written into its folded words.
  using Fold = std::function<Term(const std::string&)>;
  // The keys terms are matched by, word for word (search passes stems, so
  // that "motorbendes" matches the term "motorbende"). None: the folded words.
  using Key = std::function<Term(const Term&)>;

  // Parses YAML: a list of lists of strings. Errors: kInvalidContent.
  static StatusOr<Glossary> Parse(const std::string& yaml_text, const Fold& fold,
                                  const Key& key = nullptr);
  static StatusOr<Glossary> Load(const std::string& path, const Fold& fold,
                                 const Key& key = nullptr);

  // The longest glossary term whose keys start at words[start] (`words` are
  // keys, made by the same Key as the terms'); its length in words (0 when
  // none) and, in *equivalents, the other terms of its groups, folded.
  size_t Match(const std::vector<std::string>& words, size_t start,
               std::vector<Term>* equivalents) const;
  size_t group_count() const { return groups_.size(); }
  // Whether `key` (made by the same Key as the terms') is a word of some
  // term: jargon, also where the query holds only part of the term.
  bool HasWord(const std::string& key) const;
  // Every term of two or more words, sorted, once: the phrases the index
  // may keep as terms of their own (search/index_writer.h).
  std::vector<Term> Phrases() const;

 private:
  std::vector<std::vector<Term>> groups_;
  std::vector<std::vector<Term>> keys_;  // groups_ made keys, term for term
};

}  // namespace kpo::content
