// The Xapian index layout: the only place that knows term prefixes, value
// slots and field weights. Everything else asks this header.
//
// Terms per item:
//   ""  + folded word      unstemmed words with positions (phrases, prefix*)
//   "Z" + stem              stems of whole words (weight 2 x field weight)
//                           and of compound parts (weight 1 x field weight)
//   "T" + folded word       title words, for autocomplete
//   "S" + size + stem       title stems with the title's size (TitleStemTerm)
//   "Q" + id                the id term (replace_document makes re-indexing idempotent)
//   "P" + words             a phrase where OP_PHRASE over its words matches: the
//                           glossary's phrases and common-grams (IsPairWord)
//   "XA" + access key       access keys (access/policy.h); never user-typable:
//                           the query parser only builds prefixes it knows
//   "XT"/"XH"/"XR"/"XW"/"XY" + value   type, theme, region, werkplaats, year filters
// Values: the date (sortable). Facets are counted from the filter terms
// (match_sets.h). Document data: the item id.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace kpo::search::schema {

inline constexpr const char* kStem = "Z";
inline constexpr const char* kTitle = "T";
inline constexpr const char* kId = "Q";
inline constexpr const char* kAccess = "XA";
inline constexpr const char* kType = "XT";
inline constexpr const char* kTheme = "XH";
inline constexpr const char* kRegion = "XR";
inline constexpr const char* kWerkplaats = "XW";
inline constexpr const char* kYear = "XY";
// A title's stems once more, as boolean terms (Xapian's document length
// stays the fields' own): "S" + a letter for how many distinct stems the
// title has (A: 1, B: 2, C: 3, D: 4 or more) + the stem (title_match.h).
inline constexpr const char* kTitleStem = "S";
inline constexpr char kTitleSizes[] = {'A', 'B', 'C', 'D'};
inline std::string TitleStemTerm(std::string_view stem, size_t title_stems) {
  std::string term(kTitleStem);
  term.push_back(kTitleSizes[std::min<size_t>(std::max<size_t>(title_stems, 1), 4) - 1]);
  term.append(stem);
  return term;
}
// A glossary phrase kept as a term of its own: "P" + its words joined by
// single spaces. Present exactly where OP_PHRASE over the words matches.
inline constexpr const char* kPhrase = "P";
// Xapian metadata: the phrases every document was indexed with, one per line.
inline constexpr const char* kPhrasesKey = "kpo.phrases";
// Xapian metadata: "1" when every document carries the pair terms below.
inline constexpr const char* kPairsKey = "kpo.pairs";

// Common-grams: every two adjacent pair words are also written as a phrase
// term (kPhrase + "a b"), exactly where OP_PHRASE over the two words matches.
// Why: a phrase of such words ("van de", "aan het") matches most documents,
// and checking its positions cost 20-200 ms at 100 000 items the first time
// it was searched in a revision; the pair's posting list costs ~1 ms, and a
// longer phrase is checked only among the documents of all its pairs
// (docs/performance.md). Pairs with one rarer word are not written: they
// doubled the terms per document and cost indexing 0.58 -> 0.37 of raw
// Xapian's rate; the rarer word's documents bound their position checks. The
// words: Snowball's Dutch stop list (the most frequent Dutch words); part of
// the index layout, so a change bumps kVersion.
inline bool IsPairWord(std::string_view w) {
  static const std::unordered_set<std::string_view> kWords = {
      "de",     "en",    "van",  "ik",     "te",     "dat",  "die",   "in",    "een",    "hij",
      "het",    "niet",  "zijn", "is",     "was",    "op",   "aan",   "met",   "als",    "voor",
      "had",    "er",    "maar", "om",     "hem",    "dan",  "zou",   "of",    "wat",    "mijn",
      "men",    "dit",   "zo",   "door",   "over",   "ze",   "zich",  "bij",   "ook",    "tot",
      "je",     "mij",   "uit",  "der",    "daar",   "haar", "naar",  "heb",   "hoe",    "heeft",
      "hebben", "deze",  "u",    "want",   "nog",    "zal",  "me",    "zij",   "nu",     "ge",
      "geen",   "omdat", "iets", "worden", "toch",   "al",   "waren", "veel",  "meer",   "doen",
      "toen",   "moet",  "ben",  "zonder", "kan",    "hun",  "dus",   "alles", "onder",  "ja",
      "eens",   "hier",  "wie",  "werd",   "altijd", "doch", "wordt", "wezen", "kunnen", "ons",
      "zelf",   "tegen", "na",   "reeds",  "wil",    "kon",  "niets", "uw",    "iemand", "geweest",
      "andere"};
  return kWords.count(w) > 0;
}

enum Slot : unsigned {
  kSlotDate = 0,  // sortable_serialise(YYYYMMDD)
};

// wdf per occurrence: whole words above compound parts, fields by weight.
inline constexpr unsigned kWholeWord = 2;
inline constexpr unsigned kCompoundPart = 1;
// Title 12 and heading 2 (below): a sweep of title 3-20 x heading 0-4 at
// the BM25 parameters below, best summed over every judged set
// (docs/search.md); the earlier 5 and 1 were chosen at k1 = 1.
inline constexpr unsigned kTitleWeight = 12;
inline constexpr unsigned kSummaryWeight = 3;
inline constexpr unsigned kTagsWeight = 3;
// Markdown headings inside the body: what a long text is about. Indexed
// without positions on top of the body text that holds them (phrases see a
// heading once, where it stands), so a heading word weighs body + heading =
// 3, between title and body (docs/search.md: chosen on every judged set).
inline constexpr unsigned kHeadingWeight = 2;
inline constexpr unsigned kBodyWeight = 1;

// BM25 over those weights. A word's wdf is kWholeWord x its field weight per
// occurrence (2 in the body, 10 in the title), so Xapian's default k1 = 1
// saturated after a single occurrence and a long page that mentions a word
// in passing weighed as much as the page about it. k1 12, b 0.75: best on
// every judged set of a sweep k1 1-24 x b 0.5-0.9 (docs/search.md).
inline constexpr double kBm25K1 = 12;
inline constexpr double kBm25B = 0.75;
inline constexpr double kBm25MinNormLen = 0.5;  // Xapian's default
// How much a title the word of a one-word query covers adds beside BM25
// (title_match.h): this x the word's idf x 1/sqrt(the title's stems). 3: the
// largest that cost no judged set (1.5-24 swept on all of them, docs/search.md).
inline constexpr double kTitleMatchScale = 3.0;

// First term position of each field; the gaps keep phrases inside one field.
inline constexpr unsigned kTitlePos = 1;
inline constexpr unsigned kSummaryPos = 1000;
inline constexpr unsigned kTagsPos = 2000;
inline constexpr unsigned kBodyPos = 3000;

// A term: prefix + value. One function for it, because `const char* +
// std::string` trips GCC 12's -Werror=restrict false positive at -O3.
inline std::string Term(const char* prefix, std::string_view value) {
  std::string term(prefix);
  term.append(value);
  return term;
}

// The phrase term's value for `words`: joined by single spaces.
inline std::string PhraseValue(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out.append(w);
  }
  return out;
}

// Words longer than this are not indexed (Xapian's term limit is 245 bytes).
inline constexpr size_t kMaxWordBytes = 64;

// Bumped whenever the layout or the analysis changes: the indexer then
// rebuilds the whole index from SQLite. 7: unpublished items carry the
// access key "unpublished" (issue 10). 8: plural -s after -e and of
// abbreviations ("motorbendes", "RIECs") folded to the singular (issue 12).
// 9: title weight 12, heading weight 2 (issue 12). 10: pair terms of
// adjacent words with a pair word (IsPairWord, issue 12). 11: adjectives in
// -lijk keep their suffix (analyzer.cc, issue 12). 12: title stems with the
// title's size (kTitleStem, issue 12). 13: stems ending in v or z end in
// f or s (analyzer.cc, DevoiceFinal, issue 12). 14: the indexed text of a
// GFM pipe table is its cells' text, without pipes and dashes
// (render/markdown.cc).
inline constexpr const char* kVersion = "kpo-index-14";

// Directory names under the index directory.
inline constexpr const char* kMainDir = "main";
inline constexpr const char* kSpellingDir = "spelling";

// Spelling data is kept per access key, so that suggestions for a caller
// come only from words of items the caller may read: a file-system-safe
// directory name for an access key ("group:om" -> "group-om").
inline std::string SpellingDirName(const std::string& access_key) {
  std::string out = access_key;
  for (char& c : out) {
    if (c == ':') c = '-';
  }
  return out;
}

}  // namespace kpo::search::schema

namespace kpo::search::schema {

// The facets: request name and filter term prefix.
struct Facet {
  const char* name;
  const char* prefix;
};
inline constexpr Facet kFacets[] = {{"type", kType},
                                    {"theme", kTheme},
                                    {"region", kRegion},
                                    {"werkplaats", kWerkplaats},
                                    {"year", kYear}};

}  // namespace kpo::search::schema
