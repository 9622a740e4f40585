// Implements analyzer.h.
#include "search/analyzer.h"

#include <algorithm>
#include <fstream>

#include "search/schema.h"

namespace kpo::search {

namespace {

// Folded forms of U+00E0..U+00FF (lowercase Latin-1), indexed by cp - 0xE0.
const char* const kLatin1Fold[32] = {"a", "a",     "a", "a", "a", "a", "ae", "c", "e",  "e", "e",
                                     "e", "i",     "i", "i", "i", "d", "n",  "o", "o",  "o", "o",
                                     "o", nullptr, "o", "u", "u", "u", "u",  "y", "th", "y"};

// Latin Extended-A (U+0100..U+017F) folded by range.
struct FoldRange {
  unsigned first, last;
  const char* to;
};
const FoldRange kExtendedAFold[] = {
    {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
    {0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
    {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
    {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"}};

// Tokenizing every body (indexing, snippets) is mostly ASCII: those bytes
// skip Xapian's UTF-8 decoder and Unicode tables. Same answers, tested for
// every ASCII character against Xapian (analyzer_test.cc).
// GCC 12 at -O2 sees Utf8Iterator's members through its inline operator++
// and wrongly reports them as maybe uninitialised.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
unsigned CodePointAt(std::string_view text, size_t pos, size_t* len) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  Xapian::Utf8Iterator it(text.data() + pos, text.size() - pos);
  const unsigned cp = *it;
  ++it;
  *len = text.size() - pos - it.left();
  return cp;
}
#pragma GCC diagnostic pop

bool IsWordChar(unsigned cp) {
  if (cp < 0x80) {
    const unsigned lower = cp | 0x20;
    return (lower >= 'a' && lower <= 'z') || (cp >= '0' && cp <= '9') || cp == '_';
  }
  return Xapian::Unicode::is_wordchar(cp);
}

void AppendFolded(unsigned cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp));
    return;
  }
  cp = Xapian::Unicode::tolower(cp);
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
    return;
  }
  if (cp == 0xDF) {
    out->append("ss");
    return;
  }
  if (cp >= 0xE0 && cp <= 0xFF && kLatin1Fold[cp - 0xE0] != nullptr) {
    out->append(kLatin1Fold[cp - 0xE0]);
    return;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    for (const auto& r : kExtendedAFold) {
      if (cp >= r.first && cp <= r.last) {
        out->append(r.to);
        return;
      }
    }
  }
  char buf[4];
  out->append(buf, Xapian::Unicode::to_utf8(cp, buf));
}

bool IsApostrophe(unsigned cp) { return cp == '\'' || cp == 0x2019 || cp == 0x2018; }

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "-lijk" after at least four letters ("gelijk", "lijk" are words of their own).
constexpr size_t kMinLijk = 8;

// Plural forms Snowball "dutch" leaves apart from their singular (measured:
// cursussen, transacties, laboratoria, categorieen); mapped before stemming.
std::string NormalisePlural(const std::string& w) {
  struct Rule {
    std::string_view suffix, replacement;
    size_t min_stem;
  };
  static const Rule kRules[] = {
      {"ussen", "us", 3}, {"ieen", "ie", 3}, {"ies", "ie", 4}, {"oria", "orium", 3}};
  for (const auto& r : kRules) {
    if (EndsWith(w, r.suffix) && w.size() >= r.suffix.size() + r.min_stem) {
      return w.substr(0, w.size() - r.suffix.size()) + std::string(r.replacement);
    }
  }
  // A doubled consonant before -en (cellen, tabellen, kolommen, knoppen):
  // Snowball undoubles only kk, dd and tt, so "cellen" and "cel" stemmed apart.
  if (w.size() >= 6 && EndsWith(w, "en")) {
    const char c = w[w.size() - 3];
    if (c == w[w.size() - 4] && !IsVowel(c) && c != 'k' && c != 'd' && c != 't') {
      return w.substr(0, w.size() - 3);
    }
  }
  // The plural -s of a word in -e (motorbendes, codes, routes, meisjes):
  // Snowball drops an -s only after a consonant, so "motorbendes" and
  // "motorbende" stemmed apart. Not the -es of proces, adres, congres.
  if (w.size() >= 5 && EndsWith(w, "es") && !IsVowel(w[w.size() - 3])) {
    const char c = w[w.size() - 3];
    const bool singular_in_es = c == 'c' || c == 's' || EndsWith(w, "dres") ||
                                EndsWith(w, "gres") || EndsWith(w, "pres") || EndsWith(w, "tres");
    if (!singular_in_es) return w.substr(0, w.size() - 1);
  }
  return w;
}

// An adjective in -lijk(e) keeps its suffix: Snowball drops "-lijk" and so
// joins the adjective with the noun it comes from ("voorwaardelijke opmaak"
// found Writer's page "Voorwaarde"; "bestuurlijk" = "bestuur", "persoonlijk"
// = "persoon"). Its inflections stay together. Measured on every judged set
// (docs/search.md). Returns the stem, or "" when the rule does not apply.
std::string LijkStem(std::string w) {
  if (w.size() >= kMinLijk + 1 && EndsWith(w, "lijke")) w.pop_back();
  if (w.size() >= kMinLijk && EndsWith(w, "lijk")) return w;
  return {};
}

// Final devoicing: Dutch writes no word with a final v or z, so a stem that
// ends in one is a root whose -en or -e was stripped, written f or s when
// it stands alone: "negatieve" (negatiev) is "negatief", "bedrijven" is
// "bedrijf", "overschrijven" is "overschrijf", "huizen" is "huis", "kiezen"
// is "kies". Snowball writes the long vowel single ("staaf" -> staf, "geef"
// -> gef), so "staven" -> staf and "geven" -> gef meet them too. Only after
// a vowel, ij, l, r or n (kalven, werven, ganzen), so abbreviations ("apv")
// stay as they are (docs/search.md: measured on every judged set).
void DevoiceFinal(std::string* stem) {
  const size_t n = stem->size();
  if (n < 3) return;
  const char before = (*stem)[n - 2];
  // "ij" ends in j: "bedrijv", "schrijv".
  if (!IsVowel(before) && before != 'j' && before != 'l' && before != 'r' && before != 'n') return;
  if ((*stem)[n - 1] == 'v') (*stem)[n - 1] = 'f';
  if ((*stem)[n - 1] == 'z') (*stem)[n - 1] = 's';
}

// Heads that make a "compound" out of an ordinary derived word
// (onderzoek, voorwaarde, overleg): not split there.
bool IsBoundHead(const std::string& head) {
  static const std::unordered_set<std::string> kHeads = {
      "onder", "over", "voor", "door", "mede", "tegen", "achter", "terug", "weer", "mee",
      "uit",   "aan",  "toe",  "ver",  "ont",  "her",   "bij",    "samen", "naar", "tussen"};
  return kHeads.count(head) > 0;
}

constexpr size_t kMinCompound = 8;
// Bytes each memo of one analyzer may hold (~30 000 words); per entry the
// strings plus kMemoNode for the node, hash slot and string headers.
constexpr size_t kMemoBytes = size_t{4} << 20;
constexpr size_t kMemoNode = 96;
constexpr size_t kMinPart = 4;

}  // namespace

size_t CountNumberCharacters(std::string_view text) {
  size_t n = 0;
  for (Xapian::Utf8Iterator it(text.data(), text.size()), end; it != end; ++it) {
    const auto category = Xapian::Unicode::get_category(*it);
    if (category == Xapian::Unicode::DECIMAL_DIGIT_NUMBER ||
        category == Xapian::Unicode::OTHER_NUMBER) {
      ++n;
    }
  }
  return n;
}

std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (Xapian::Utf8Iterator it(text.data(), text.size()); it != Xapian::Utf8Iterator(); ++it) {
    AppendFolded(*it, &out);
  }
  return out;
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  Token current;
  bool in_word = false;
  auto flush = [&](size_t at) {
    if (in_word) {
      // "RIECs", "OMGs": the plural -s of an abbreviation, as "RIEC's".
      const std::string_view raw = text.substr(current.begin, at - current.begin);
      if (raw.size() >= 3 && raw.back() == 's' &&
          std::all_of(raw.begin(), raw.end() - 1, [](char c) { return c >= 'A' && c <= 'Z'; })) {
        current.text.pop_back();
        --at;
      }
      current.end = at;
      tokens.push_back(std::move(current));
      current = Token();
      in_word = false;
    }
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t len;
    const unsigned cp = CodePointAt(text, pos, &len);
    if (IsWordChar(cp)) {
      if (!in_word) {
        in_word = true;
        current.begin = pos;
      }
      AppendFolded(cp, &current.text);
      pos += len;
      continue;
    }
    if (in_word && IsApostrophe(cp) && pos + len < text.size()) {
      // "OMG's" / "RIEC’s": the base word is the token; "'s" is dropped.
      size_t s_len;
      const unsigned next = CodePointAt(text, pos + len, &s_len);
      const size_t after = pos + len + s_len;
      if ((next == 's' || next == 'S')) {
        size_t unused;
        if (after >= text.size() || !IsWordChar(CodePointAt(text, after, &unused))) {
          flush(pos);
          pos = after;
          continue;
        }
      }
    }
    flush(pos);
    pos += len;
  }
  flush(text.size());
  return tokens;
}

StatusOr<std::shared_ptr<const Lexicon>> Lexicon::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Status::Internal("cannot read word list " + path);
  }
  auto lexicon = std::make_shared<Lexicon>();
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() < 3) continue;
    std::string folded = Fold(line);
    if (std::all_of(folded.begin(), folded.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      lexicon->words_.insert(std::move(folded));
    }
  }
  return std::shared_ptr<const Lexicon>(std::move(lexicon));
}

std::shared_ptr<const Lexicon> Lexicon::FromWordsForTest(const std::vector<std::string>& words) {
  auto lexicon = std::make_shared<Lexicon>();
  for (const auto& w : words) lexicon->words_.insert(Fold(w));
  return lexicon;
}

StatusOr<StemmerKind> ParseStemmerKind(const std::string& name) {
  if (name == "dutch") return StemmerKind::kDutch;
  if (name == "kraaij_pohlmann") return StemmerKind::kKraaijPohlmann;
  if (name == "kpo") return StemmerKind::kKpo;
  if (name == "none") return StemmerKind::kNone;
  return Status::Error(
      ErrorCode::kInvalidParameter,
      "Onbekende stemmer '" + name + "': kies dutch, kraaij_pohlmann, kpo of none.");
}

Analyzer::Analyzer(std::shared_ptr<const Lexicon> lexicon, StemmerKind kind)
    : lexicon_(std::move(lexicon)), kind_(kind) {
  switch (kind) {
    case StemmerKind::kKraaijPohlmann:
      stem_ = Xapian::Stem("kraaij_pohlmann");
      break;
    case StemmerKind::kNone:
      break;
    default:
      stem_ = Xapian::Stem("dutch");
  }
}

std::string Analyzer::Stem(const std::string& folded_word) {
  if (kind_ == StemmerKind::kNone) return folded_word;
  auto memo = stem_memo_.find(folded_word);
  if (memo != stem_memo_.end()) return memo->second;
  std::string stem;
  if (kind_ == StemmerKind::kKpo) {
    const std::string normal = NormalisePlural(folded_word);
    stem = LijkStem(normal);
    if (stem.empty()) stem = stem_(normal);
    DevoiceFinal(&stem);
  } else {
    stem = stem_(folded_word);
  }
  const size_t cost = kMemoNode + folded_word.size() + stem.size();
  if (stem_memo_bytes_ + cost > kMemoBytes) {
    stem_memo_.clear();
    stem_memo_bytes_ = 0;
  }
  stem_memo_.emplace(folded_word, stem);
  stem_memo_bytes_ += cost;
  return stem;
}

bool Analyzer::SplitInto(const std::string& word, size_t start, int depth,
                         const std::function<bool(const std::string&)>* also_known,
                         std::vector<std::string>* parts) const {
  auto known = [&](const std::string& w) {
    return (lexicon_ && lexicon_->Contains(w)) || (also_known && (*also_known)(w));
  };
  const size_t rest = word.size() - start;
  if (depth == 0) {
    if (rest >= kMinPart && known(word.substr(start))) {
      parts->push_back(word.substr(start));
      return true;
    }
    return false;
  }
  if (rest < 2 * kMinPart) return false;
  // Shortest head first: "drugs|laboratoria", not "drugslab|oratoria";
  // "hennep|kwekerijen", not "hennepkweker|ijen".
  for (size_t len = kMinPart; len + kMinPart <= rest; ++len) {
    std::string head = word.substr(start, len);
    if (!known(head) || IsBoundHead(head)) continue;
    for (std::string_view link : {"", "s", "en", "e"}) {
      size_t next = start + len + link.size();
      if (next + kMinPart > word.size()) continue;
      if (word.compare(start + len, link.size(), link) != 0) continue;
      size_t before = parts->size();
      parts->push_back(head);
      if (SplitInto(word, next, depth - 1, also_known, parts)) return true;
      parts->resize(before);
    }
  }
  return false;
}

std::vector<std::string> Analyzer::CompoundParts(
    const std::string& folded_word,
    const std::function<bool(const std::string&)>* also_known) const {
  std::vector<std::string> parts;
  if ((!lexicon_ && !also_known) || folded_word.size() < kMinCompound ||
      folded_word.size() > schema::kMaxWordBytes) {
    return parts;
  }
  for (char c : folded_word) {
    if (c < 'a' || c > 'z') return parts;
  }
  // Only lexicon-only splits are memoised: `also_known` changes with the index.
  if (also_known == nullptr) {
    auto memo = parts_memo_.find(folded_word);
    if (memo != parts_memo_.end()) return memo->second;
  }
  // Two parts if possible ("vastgoed|fraude" over "vast|goed|fraude"), else three.
  for (int depth = 1; depth <= 2; ++depth) {
    if (SplitInto(folded_word, 0, depth, also_known, &parts)) break;
    parts.clear();
  }
  if (also_known == nullptr) {
    size_t cost = kMemoNode + folded_word.size();
    for (const auto& p : parts) cost += 32 + p.size();
    if (parts_memo_bytes_ + cost > kMemoBytes) {
      parts_memo_.clear();
      parts_memo_bytes_ = 0;
    }
    parts_memo_.emplace(folded_word, parts);
    parts_memo_bytes_ += cost;
  }
  return parts;
}

bool IsStopword(const std::string& w) {
  static const std::unordered_set<std::string> kStop = {
      "de",    "het",    "een",  "en",     "van",  "in",     "op",    "te",      "met",    "voor",
      "aan",   "bij",    "door", "naar",   "om",   "over",   "uit",   "tot",     "als",    "of",
      "dat",   "die",    "dit",  "deze",   "is",   "zijn",   "er",    "wat",     "hoe",    "wie",
      "welke", "ik",     "je",   "u",      "we",   "wij",    "ze",    "zij",     "hij",    "mijn",
      "uw",    "ons",    "onze", "hun",    "niet", "ook",    "nog",   "wel",     "al",     "dan",
      "maar",  "kan",    "kun",  "kunnen", "moet", "moeten", "wordt", "worden",  "werd",   "was",
      "heeft", "hebben", "mag",  "zou",    "zal",  "bij",    "waar",  "wanneer", "waarom", "ter"};
  return kStop.count(w) > 0;
}

std::vector<std::string> OneEditAway(const std::string& w) {
  std::vector<std::string> out;
  if (w.size() > schema::kMaxWordBytes + 1) return out;
  for (size_t i = 0; i < w.size(); ++i) {
    out.push_back(w.substr(0, i) + w.substr(i + 1));
    if (i + 1 < w.size() && w[i] != w[i + 1]) {
      std::string t = w;
      std::swap(t[i], t[i + 1]);
      out.push_back(std::move(t));
    }
  }
  for (size_t i = 0; i <= w.size(); ++i) {
    for (char c = 'a'; c <= 'z'; ++c) {
      if (i < w.size() && c != w[i]) out.push_back(w.substr(0, i) + c + w.substr(i + 1));
      out.push_back(w.substr(0, i) + c + w.substr(i));
    }
  }
  return out;
}

}  // namespace kpo::search
