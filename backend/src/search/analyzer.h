// Dutch text analysis, identical at index and query time. Owns: tokenizing,
// case and diacritic folding, apostrophe forms, stemming and compound
// splitting. May not touch: Xapian databases, term prefixes (schema.h), HTTP.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <xapian.h>

#include "kpo/status.h"

namespace kpo::search {

// a, e, i, o, u in a folded word: the vowels Dutch spelling rules (a doubled
// consonant, a participle's ending) look at.
inline bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// One word of a text: folded form plus its byte range in the original.
struct Token {
  std::string text;  // lowercase, diacritics removed ("geïnd" -> "geind")
  size_t begin = 0;  // byte offset in the original text
  size_t end = 0;    // one past the last byte
};

// Splits UTF-8 text into folded words. Hyphens and punctuation separate
// words; an apostrophe-s suffix ("OMG's", "RIEC’s") is dropped.
// Thread-safe (pure). Invalid UTF-8 bytes are read as Latin-1.
std::vector<Token> Tokenize(std::string_view text);

// Lowercases and removes diacritics: "Café" -> "cafe", "ß" -> "ss".
std::string Fold(std::string_view text);

// How many characters of `text` are digits or number signs of any script
// (Unicode Nd and No: '7', full-width, Arabic-Indic, mathematical,
// superscript, circled). Thread-safe (pure).
size_t CountNumberCharacters(std::string_view text);

// A Dutch word list (one word per line, e.g. /usr/share/dict/dutch from
// wdutch) used to split compounds. Immutable after Load: safe to share
// between threads.
class Lexicon {
 public:
  // Errors: kInternal when the file cannot be read.
  static StatusOr<std::shared_ptr<const Lexicon>> Load(const std::string& path);
  static std::shared_ptr<const Lexicon> FromWordsForTest(const std::vector<std::string>& words);
  bool Contains(const std::string& folded_word) const { return words_.count(folded_word) > 0; }
  size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;
};

enum class StemmerKind {
  kDutch,           // Xapian's Snowball "dutch" as is
  kKraaijPohlmann,  // Xapian's "kraaij_pohlmann"
  kKpo,             // plural normalisation, then Snowball "dutch" (default)
  kNone,
};
// Parses "dutch", "kraaij_pohlmann", "kpo", "none".
StatusOr<StemmerKind> ParseStemmerKind(const std::string& name);

// Stems and splits compounds. Not thread-safe (Xapian::Stem keeps a mutable
// buffer): give each thread its own Analyzer. The lexicon may be null
// (no compound splitting).
class Analyzer {
 public:
  Analyzer(std::shared_ptr<const Lexicon> lexicon, StemmerKind kind = StemmerKind::kKpo);

  // The stem of a folded word.
  std::string Stem(const std::string& folded_word);
  // The parts of a compound ("hennepkwekerijen" -> {"hennep", "kwekerijen"}),
  // or empty when the word is not a compound the lexicon can explain, or
  // longer than schema::kMaxWordBytes (never indexed, so never split when
  // indexing either; the split tries every head, quadratic in the length).
  // `also_known`, when given, accepts further words as parts: at query time
  // the words of the index ("bibob" + "toets" for "bibobtoets").
  std::vector<std::string> CompoundParts(
      const std::string& folded_word,
      const std::function<bool(const std::string&)>* also_known = nullptr) const;
  // Whether the lexicon lists the folded word (false without a lexicon).
  bool IsWord(const std::string& folded_word) const {
    return lexicon_ != nullptr && lexicon_->Contains(folded_word);
  }
  StemmerKind kind() const { return kind_; }

 private:
  bool SplitInto(const std::string& word, size_t start, int depth,
                 const std::function<bool(const std::string&)>* also_known,
                 std::vector<std::string>* parts) const;

  std::shared_ptr<const Lexicon> lexicon_;
  StemmerKind kind_;
  Xapian::Stem stem_;
  // Memos: indexing and snippets meet the same words again and again
  // (measured: analysis was 2.6x Xapian's TermGenerator without them).
  // Each is cleared when it grows past kMemoBytes (strings plus node
  // overhead): distinct searches bring new words without end, and every
  // thread has an analyzer (issue 13: RSS grew with every distinct search).
  std::unordered_map<std::string, std::string> stem_memo_;
  size_t stem_memo_bytes_ = 0;
  mutable std::unordered_map<std::string, std::vector<std::string>> parts_memo_;
  mutable size_t parts_memo_bytes_ = 0;
};

// True for a Dutch function word that carries no meaning on its own.
bool IsStopword(const std::string& folded_word);

// Every a-z word one edit (deletion, transposition, substitution,
// insertion) away from `folded_word`: the candidates of typo rules. None for
// a word longer than schema::kMaxWordBytes + 1: every candidate would be
// longer than any indexed word, and there are 53 per letter (a query word
// of the API's 1 000 bytes made 53 000 strings of 1 000 bytes).
std::vector<std::string> OneEditAway(const std::string& folded_word);

}  // namespace kpo::search
