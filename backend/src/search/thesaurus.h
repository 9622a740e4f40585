// Words a query word may stand for when the index does not hold it: a
// thesaurus made at load time from FreeDict's Dutch-English and
// English-Dutch dictionaries (Debian's dict-freedict-nld-eng and
// dict-freedict-eng-nld, read where dictd keeps them). Owns: reading those
// files and pairing their words. May not touch: the index, queries (query.cc
// decides when a word is looked up).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace kpo::search {

class Thesaurus {
 public:
  // Reads freedict-nld-eng and freedict-eng-nld (.index and .dict.dz) from
  // `dir`. Two Dutch words are synonyms when one English gloss translates
  // both and at most kMaxShared Dutch words ("strikeout": doorstrepen,
  // doorhalen; not "make"); an English word stands for the Dutch words of its
  // first sense ("template": patroon, schablone, sjabloon). A dictionary
  // that is missing or unreadable adds nothing.
  static std::shared_ptr<const Thesaurus> Load(const std::string& dir);
  // Loaded once from /usr/share/dictd, on first use (thread-safe).
  static const Thesaurus& Default();
  // `lines`: "word synonym synonym ...", folded.
  static std::shared_ptr<const Thesaurus> FromLinesForTest(const std::vector<std::string>& lines);

  // The Dutch words `folded_word` may stand for; empty when none.
  const std::vector<std::string>& Find(const std::string& folded_word) const;
  size_t size() const { return words_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> words_;
};

}  // namespace kpo::search
