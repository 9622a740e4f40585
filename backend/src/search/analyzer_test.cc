// Dutch analysis: folding, apostrophes, stemming fixes, compound splitting.
#include "search/analyzer.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "search/schema.h"

namespace kpo::search {
namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  for (auto& t : Tokenize(text)) out.push_back(t.text);
  return out;
}

TEST(Analyzer, FoldsDiacriticsAndCase) {
  EXPECT_EQ(Fold("Café GEÏND coördinatie Straße"), "cafe geind coordinatie strasse");
  EXPECT_EQ(Words("Geïnd, café!"), (std::vector<std::string>{"geind", "cafe"}));
}

TEST(Analyzer, ApostropheSIsDropped) {
  EXPECT_EQ(Words("OMG's en RIEC’s, MTO's."),
            (std::vector<std::string>{"omg", "en", "riec", "mto"}));
  EXPECT_EQ(Words("zo'n"), (std::vector<std::string>{"zo", "n"}));
  // Without the apostrophe: the plural -s of an abbreviation only.
  EXPECT_EQ(Words("RIECs, OMGs en Pas"), (std::vector<std::string>{"riec", "omg", "en", "pas"}));
  EXPECT_EQ(Words("GPS ICs"), (std::vector<std::string>{"gps", "ic"}));
}

TEST(Analyzer, HyphensSplitAndOffsetsPointIntoOriginal) {
  std::string text = "publiek-private samenwerking";
  auto tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin), "samenwerking");
}

TEST(Analyzer, InvalidUtf8DoesNotCrash) { EXPECT_FALSE(Tokenize("a\xFF\xFE b \xC3").empty()); }

TEST(Analyzer, KpoStemmerJoinsWhatSnowballMisses) {
  Analyzer kpo(nullptr, StemmerKind::kKpo);
  Analyzer dutch(nullptr, StemmerKind::kDutch);
  for (auto [a, b] :
       std::vector<std::pair<std::string, std::string>>{{"cursus", "cursussen"},
                                                        {"transactie", "transacties"},
                                                        {"laboratorium", "laboratoria"},
                                                        {"categorie", "categorieen"},
                                                        {"kwekerij", "kwekerijen"},
                                                        {"gemeente", "gemeenten"}}) {
    EXPECT_EQ(kpo.Stem(a), kpo.Stem(b)) << a << "/" << b;
  }
  // Issue 12, real text: the plural -s after -e and a doubled consonant
  // before -en, both left apart by Snowball.
  for (auto [a, b] : std::vector<std::pair<std::string, std::string>>{{"motorbende", "motorbendes"},
                                                                      {"code", "codes"},
                                                                      {"cel", "cellen"},
                                                                      {"tabel", "tabellen"},
                                                                      {"kolom", "kolommen"},
                                                                      {"proces", "processen"},
                                                                      {"adres", "adressen"}}) {
    EXPECT_EQ(kpo.Stem(a), kpo.Stem(b)) << a << "/" << b;
    EXPECT_NE(dutch.Stem(a), dutch.Stem(b)) << a << "/" << b;  // the gap closed
  }
  EXPECT_NE(kpo.Stem("proces"), kpo.Stem("proc"));           // -es of the singular stays
  EXPECT_NE(dutch.Stem("cursus"), dutch.Stem("cursussen"));  // the measured gap
  // No over-stemming where kraaij_pohlmann fails.
  EXPECT_NE(kpo.Stem("gemeld"), kpo.Stem("mel"));
  EXPECT_NE(kpo.Stem("huurders"), kpo.Stem("huur"));
}

// Issue 12, eighth part: Snowball leaves the v or z of a stripped -en/-e
// ("negatiev", "bedrijv", "huiz"); Dutch writes the root with f or s.
TEST(Analyzer, KpoStemmerDevoicesTheFinalConsonant) {
  Analyzer kpo(nullptr, StemmerKind::kKpo);
  Analyzer dutch(nullptr, StemmerKind::kDutch);
  for (auto [a, b] :
       std::vector<std::pair<std::string, std::string>>{{"negatief", "negatieve"},
                                                        {"bedrijf", "bedrijven"},
                                                        {"overschrijf", "overschrijven"},
                                                        {"staaf", "staven"},
                                                        {"geef", "geven"},
                                                        {"huis", "huizen"},
                                                        {"kies", "kiezen"}}) {
    EXPECT_EQ(kpo.Stem(a), kpo.Stem(b)) << a << "/" << b;
    EXPECT_NE(dutch.Stem(a), dutch.Stem(b)) << a << "/" << b;  // the gap closed
  }
  // After another consonant (an abbreviation) the letter stays.
  EXPECT_EQ(kpo.Stem("apv"), "apv");
}

// Issue 12, fifth part: Snowball drops "-lijk" and joins an adjective with
// the noun it comes from ("voorwaardelijke opmaak" found Writer's page
// "Voorwaarde"); KPO keeps the adjective apart and its forms together.
TEST(Analyzer, KpoStemmerKeepsAdjectivesInLijkApart) {
  Analyzer kpo(nullptr, StemmerKind::kKpo);
  Analyzer dutch(nullptr, StemmerKind::kDutch);
  for (auto [adjective, noun] :
       std::vector<std::pair<std::string, std::string>>{{"voorwaardelijke", "voorwaarde"},
                                                        {"bestuurlijk", "bestuur"},
                                                        {"persoonlijke", "persoon"}}) {
    EXPECT_NE(kpo.Stem(adjective), kpo.Stem(noun)) << adjective;
    EXPECT_EQ(dutch.Stem(adjective), dutch.Stem(noun)) << adjective;  // the gap closed
  }
  EXPECT_EQ(kpo.Stem("voorwaardelijke"), kpo.Stem("voorwaardelijk"));
  EXPECT_EQ(kpo.Stem("bestuurlijke"), kpo.Stem("bestuurlijk"));
  // Short words are no adjectives in -lijk: Snowball's own stem.
  EXPECT_EQ(kpo.Stem("gelijke"), dutch.Stem("gelijke"));
}

TEST(Analyzer, SplitsCompoundsWithLexicon) {
  auto lexicon = Lexicon::FromWordsForTest(
      {"drugs", "laboratoria", "laboratorium", "hennep", "kwekerijen", "kwekerij", "vastgoed",
       "fraude", "weerbaarheid", "scan", "onder", "zoek", "gemeen", "ten", "bestuur"});
  Analyzer a(lexicon);
  EXPECT_EQ(a.CompoundParts("drugslaboratoria"),
            (std::vector<std::string>{"drugs", "laboratoria"}));
  EXPECT_EQ(a.CompoundParts("hennepkwekerijen").size(), 2u);
  EXPECT_EQ(a.CompoundParts("hennepkwekerijen"),
            (std::vector<std::string>{"hennep", "kwekerijen"}));
  EXPECT_EQ(a.CompoundParts("vastgoedfraude"), (std::vector<std::string>{"vastgoed", "fraude"}));
  EXPECT_EQ(a.CompoundParts("weerbaarheidsscan"),
            (std::vector<std::string>{"weerbaarheid", "scan"}));
  EXPECT_TRUE(a.CompoundParts("onderzoek").empty());  // bound head, not a compound
  EXPECT_TRUE(a.CompoundParts("gemeenten").empty());  // "ten" is too short to be a part
  EXPECT_TRUE(a.CompoundParts("bestuurlijk").empty());
}

// Words longer than schema::kMaxWordBytes are never indexed: a query word
// that long gets neither compound parts nor typo candidates, whose
// computation grows with its length (a 10 000-letter word took seconds).
TEST(Analyzer, WordsTooLongToBeIndexedAreNotSplitNorCorrected) {
  const std::string head(schema::kMaxWordBytes / 2, 'a');
  const std::string tail(schema::kMaxWordBytes / 2, 'b');
  auto lexicon = Lexicon::FromWordsForTest({head, head + "a", tail});
  Analyzer a(lexicon);
  EXPECT_EQ(a.CompoundParts(head + tail), (std::vector<std::string>{head, tail}));
  EXPECT_TRUE(a.CompoundParts(head + "a" + tail).empty());

  const std::string longest(schema::kMaxWordBytes + 1, 'x');
  const std::vector<std::string> close = OneEditAway(longest);
  EXPECT_NE(std::find(close.begin(), close.end(), longest.substr(1)), close.end());
  EXPECT_TRUE(OneEditAway(longest + "x").empty());
}

TEST(Analyzer, ParsesStemmerNames) {
  EXPECT_TRUE(ParseStemmerKind("kpo").ok());
  EXPECT_TRUE(ParseStemmerKind("kraaij_pohlmann").ok());
  EXPECT_EQ(ParseStemmerKind("engels").status().code(), ErrorCode::kInvalidParameter);
}

}  // namespace
}  // namespace kpo::search

namespace kpo::search {
namespace {

// The tokenizer as it was before its ASCII fast path: every character
// through Xapian's UTF-8 decoder and Unicode tables. The reference.
std::vector<Token> TokenizeThroughXapian(std::string_view text) {
  std::vector<Token> tokens;
  const char* base = text.data();
  Xapian::Utf8Iterator it(text.data(), text.size());
  const Xapian::Utf8Iterator end;
  Token current;
  bool in_word = false;
  auto flush = [&](size_t at) {
    if (in_word) {
      // The plural -s of an abbreviation ("RIECs"), as Tokenize drops it.
      const std::string_view raw = text.substr(current.begin, at - current.begin);
      if (raw.size() >= 3 && raw.back() == 's' &&
          raw.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == raw.size() - 1) {
        current.text.pop_back();
        --at;
      }
      current.end = at;
      tokens.push_back(std::move(current));
      current = Token();
      in_word = false;
    }
  };
  while (it != end) {
    unsigned cp = *it;
    size_t pos = static_cast<size_t>(it.raw() - base);
    if (Xapian::Unicode::is_wordchar(cp)) {
      if (!in_word) {
        in_word = true;
        current.begin = pos;
      }
      current.text += Fold(std::string(
          it.raw(), it.raw() + [&] {
            Xapian::Utf8Iterator n = it;
            ++n;
            return n == end ? text.size() - pos : static_cast<size_t>(n.raw() - it.raw());
          }()));
      ++it;
      continue;
    }
    if (in_word && (cp == '\'' || cp == 0x2019 || cp == 0x2018)) {
      Xapian::Utf8Iterator next = it;
      ++next;
      if (next != end && (*next == 's' || *next == 'S')) {
        Xapian::Utf8Iterator after = next;
        ++after;
        if (after == end || !Xapian::Unicode::is_wordchar(*after)) {
          flush(pos);
          it = after;
          continue;
        }
      }
    }
    flush(pos);
    ++it;
  }
  flush(text.size());
  return tokens;
}

void ExpectSameTokens(const std::string& text) {
  const auto got = Tokenize(text);
  const auto want = TokenizeThroughXapian(text);
  ASSERT_EQ(got.size(), want.size()) << text;
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].text, want[i].text) << text;
    EXPECT_EQ(got[i].begin, want[i].begin) << text;
    EXPECT_EQ(got[i].end, want[i].end) << text;
  }
}

TEST(Tokenize, AsciiFastPathAgreesWithXapianForEveryAsciiCharacter) {
  for (int c = 1; c < 0x80; ++c) {
    const std::string ch(1, static_cast<char>(c));
    ExpectSameTokens("ab" + ch + "cd");
    ExpectSameTokens(ch);
    ExpectSameTokens("OMG'" + ch);
  }
}

TEST(Tokenize, AgreesWithXapianOnMixedAndBrokenText) {
  const std::vector<std::string> pieces = {
      "a", "Z", "9", "_",  " ",    "-",    "'",  "s",  "S",   "é",   "ï",    "Æ",  "ß",
      "’", "ĳ", "€", "中", "\xFF", "\xC3", "\t", "\n", "OMG", "'s ", "café", "’s", "\xE2\x80"};
  uint64_t seed = 7;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(seed % 12);
    for (int i = 0; i < n; ++i) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      text += pieces[(seed >> 33) % pieces.size()];
    }
    ExpectSameTokens(text);
  }
}

}  // namespace
}  // namespace kpo::search
