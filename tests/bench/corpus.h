// A deterministic synthetic Dutch corpus for kpo-bench: knowledge items in the
// language of the field (ondermijning, Bibob, witwassen, ...) with Zipf-like
// word frequencies, realistic types, themes, regions, access levels and dates,
// and the query mix the benchmark runs against it. The same seed gives the
// same corpus on every run (no std:: distributions: their output differs
// between standard libraries).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "content/vocabulary.h"
#include "kpo/content/item.h"

namespace kpo::bench {

// splitmix64: small, fast and identical everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) { return n == 0 ? 0 : Next() % n; }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  bool Chance(double p) { return Unit() < p; }

 private:
  uint64_t state_;
};

struct CorpusOptions {
  size_t items = 100000;
  int min_body_words = 250;
  int max_body_words = 400;
  uint64_t seed = 20240601;
};

struct QuerySpec;

class CorpusGenerator {
 public:
  // Theme, region, werkplaats and group keys come from `vocabulary`.
  CorpusGenerator(const content::Vocabulary& vocabulary, CorpusOptions options);
  // Item number `n` (0-based); the same n always gives the same item.
  Item Make(size_t n) const;
  size_t vocabulary_size() const { return words_.size(); }
  // `n` distinct queries drawn from the corpus itself, for a mix in which no
  // query repeats (the benchmark's headline): 45% one word and 25% two to four
  // words, each word drawn by its frequency in the corpus (function words
  // skipped); 12% two- or three-word phrases cut from generated items; 9%
  // prefixes (the first 4-6 letters and *); 9% one-letter typos of a word of
  // 6+ letters (dropped, doubled, swapped or changed). The same seed gives
  // the same queries.
  std::vector<QuerySpec> DistinctQueries(size_t n, uint64_t seed) const;

 private:
  std::string Word(Rng* rng, const std::vector<std::string>& topical) const;
  std::string ContentWord(Rng* rng, const std::vector<std::string>& topical) const;
  std::string Sentence(Rng* rng, const std::vector<std::string>& topical, int words,
                       int* counted) const;

  CorpusOptions options_;
  std::vector<std::string> words_;  // rank order: most frequent first
  std::vector<double> cumulative_;  // Zipf weights, cumulative
  size_t first_content_ = 0;        // index of the first non-function word
  std::vector<std::string> themes_, regions_, werkplaatsen_, groups_;
  std::map<std::string, std::vector<std::string>> topical_;  // theme -> its words
};

// One query of the mix, in the API's terms: q plus facet filters
// (facet -> comma-separated values).
struct QuerySpec {
  std::string q;
  std::map<std::string, std::string> filters;
  std::string kind;  // DistinctQueries: "word", "words", "phrase", "prefix", "typo"
};

struct QueryClass {
  std::string name;  // shown in the report
  std::vector<QuerySpec> queries;
};

// one word, several words, phrases, prefix*, typos, the empty query, and a
// word or empty query with facet selections.
std::vector<QueryClass> QueryMix();

}  // namespace kpo::bench
