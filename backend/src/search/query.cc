// Implements query.h.
#include "search/query.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "search/glossary_terms.h"
#include "search/schema.h"
#include "search/thesaurus.h"
#include "search/title_match.h"

namespace kpo::search {

namespace {

constexpr Xapian::termcount kMaxWildcardExpansion = 64;
constexpr double kCompoundScale = 0.5;
// A multi-word glossary equivalent finds the items that spell the concept
// out, but weighs little: it is weighed as the sum of its words, so at full
// weight an item that writes "money transfer organisations" beside "MTO's"
// outranks the item about MTO's that uses the word typed. A small weight
// still orders the items found only through the phrase. Chosen on every
// judged set (docs/search.md); swept again when the title weight went from
// 5 to 12, which multiplied a phrase in a title by 2.4.
constexpr double kGlossaryPhraseScale = 0.001;
constexpr size_t kQuestionWords = 3;
// Two words typed apart that the text writes as one compound ("tekst vak"
// for "tekstvak", "spelling controle" for "spellingscontrole"): the joined
// word, with the linking "s" too, when the index holds it. It counts in
// both words' groups, each at this weight (docs/search.md).
constexpr double kJoinedScale = 0.5;
constexpr std::string_view kJoinLinks[] = {"", "s"};
// A one-word query also weighs the word as typed, a little: among items
// about the subject, the one that uses the typed form ranks first
// ("limieten": "Werken met limieten" above the page "Limiet"), as Xapian's
// own query parser does. Only for one word: beside other words the typed
// form outweighed the rest (0.25 on every word cost lohelp-heldout3 0.008;
// 0.02-0.5 for one word measured on every judged set, docs/search.md).
// Not for a glossary term ("omg", "bibob"): its equivalents say what it
// means (members' "omg" fell 1.000 -> 0.959 with it), and beside the
// phrases of its equivalents, which hold the typed form too, the ranked
// page no longer equalled one exhaustive Xapian match (MatchSetsTest).
constexpr double kExactFormScale = 0.1;

// What each query group an item matches adds to its weight, whatever the
// group's words weigh (classic coordination-level matching). Why: BM25 at k1
// 12 (schema.h) grows nearly linearly with a word's occurrences, so among the
// partial matches of a three-word task one word repeated on a long page
// outweighed two more of the task's words ("vorm achter andere vorm zetten").
// Only a query of two or more groups gets it; for full matches it is the same
// for every item. 6: the middle of the plateau 4-8 of a sweep 1-15 on every
// judged set; 11 and more cost lohelp-heldout5 0.014 (docs/search.md).
constexpr double kCoordinationWeight = 6;

// The written forms of a word looked up for proximity (WrittenForms): enough
// for Dutch inflection (tekst, teksten), bounded for a short stem's long list.
constexpr size_t kWrittenForms = 50;

// Separable verbs: "toevoegen" is written "voeg ... toe" in a main clause
// ("Voeg tekst toe voor het watermerk", "Slaat het bestand op"). The
// particles that are also prepositions (op, uit, in, aan, over, door, voor)
// match nearly any text without positions, but the verb form they pair with
// is rare enough: measured with and without them on every judged set
// (docs/search.md).
constexpr std::string_view kParticles[] = {"toe",  "af",   "mee",   "terug", "weg", "neer",
                                           "vast", "na",   "dicht", "op",    "uit", "in",
                                           "aan",  "over", "door",  "voor"};
// The particle and verb apart weigh a quarter (measured 1, 0.5, 0.25, 0.1
// on the three judged sets: docs/search.md).
constexpr double kSeparableScale = 0.25;
// A word the index does not hold (a loanword, another Dutch word than the
// texts use: "doorstrepen" where they write "doorhalen") also matches the
// thesaurus's words for it that the index holds, at this weight
// (docs/search.md: measured on every judged set).
constexpr double kThesaurusScale = 1.0;

// A word that is no Dutch word (not in the word list: a loanword, a name, a
// typo, most compounds) nor jargon (a glossary word, as for the spelling
// correction) and that fewer than kCloseWordItems readable items hold as typed
// ("vlookup", "experimetele") also matches the words one edit away, not forms
// of it, that at least kCloseWordMoreFrequent times as many hold ("lookup",
// "experimentele"; by stem, so with their forms), at kCloseWordScale:
// MiniSearch's fuzzy matching, for rare words only. Not for Dutch words rare
// in their typed form ("lopen" found "open", "passend" "pas"), nor under
// kCloseWordLength letters ("merge" found "marge"). Counted as typed, not by
// stem. Chosen on every judged set (docs/search.md: no set lower, a plateau
// of R 5-20).
constexpr uint64_t kCloseWordItems = 10;
constexpr uint64_t kCloseWordMoreFrequent = 2;
constexpr double kCloseWordScale = 1.0;
constexpr size_t kCloseWordLength = 6;

// Verbs with an unstressed prefix take no "ge-" in their participle
// ("herhaald", "beveiligd", "verborgen"): the prefix stays part of the root.
constexpr std::string_view kUnstressed[] = {"be", "ver", "her", "ont"};

// Other forms of the typed word (a participle's verb, the -atie noun of a
// verb, a diminutive's base) weigh as the word itself: the same word. For
// the verb 0.5 measured 0.003 lower on one set, for the noun 0.25 and 0.5
// lower on one (docs/search.md).
constexpr double kOtherFormScale = 1.0;

// A past participle typed where the texts name the verb ("gespiegelde
// afbeelding", "gedraaide tekst", "ingevoegde rij", "herhaalde koprij",
// "tekst gecentreerd" for "Spiegelen", "Tekst draaien", "Rijen invoegen",
// "Herhalen", "Tekst centreren"): the verb's possible infinitives, spelled
// from the participle's root the three ways Dutch writes a root before -en
// (draai-en, maak -> mak-en, pas -> pass-en). A word counts when it is both
// forms of a participle (`is_word`): the adjective in -de/-te whose bare
// form is a word ("gespiegelde", "gespiegeld"), or the bare form in -d/-t
// whose adjective is one ("gecentreerd", "gecentreerde"). "gemeente" and
// "gedeelte" end alike but "gemeent" is no word; a bare "gebied" has no
// "gebiede", so it is no participle of "bieden". The caller searches only
// the infinitives whose stem the index holds.
std::vector<std::string> ParticipleInfinitives(
    const std::string& typed, const std::function<bool(const std::string&)>& is_word) {
  // Read as the adjective form.
  const bool bare = !typed.empty() && (typed.back() == 'd' || typed.back() == 't');
  const std::string w = bare ? typed + "e" : typed;
  const size_t n = w.size();
  if (n < 7 || w[n - 1] != 'e' || (w[n - 2] != 'd' && w[n - 2] != 't')) return {};
  std::string particle;
  std::string rest;  // the root and the ending -de/-te
  if (w.compare(0, 2, "ge") == 0) {
    rest = w.substr(2);
  } else {
    for (std::string_view p : kParticles) {
      if (n > p.size() + 2 && w.compare(0, p.size(), p) == 0 && w.compare(p.size(), 2, "ge") == 0) {
        particle = std::string(p);
        rest = w.substr(p.size() + 2);
        break;
      }
    }
    for (std::string_view p : kUnstressed) {
      if (particle.empty() && rest.empty() && w.compare(0, p.size(), p) == 0) rest = w;
    }
    if (rest.empty()) return {};
  }
  // Checked after the shape: a look-up for the few words that have it.
  if (!is_word(bare ? w : w.substr(0, n - 1))) return {};
  // The ending is -de or -te, or only -e when the d or t is the root's own
  // and takes no second one ("afgeronde": afronden): both are tried.
  // Strong participles are StrongParticipleInfinitives'.
  const size_t r = rest.size();
  std::vector<std::string> out;
  for (const std::string& root : {rest.substr(0, r - 2), rest.substr(0, r - 1)}) {
    const size_t k = root.size();
    if (k < 3) continue;
    out.push_back(particle + root + "en");
    if (IsVowel(root[k - 1])) continue;
    out.push_back(particle + root + root.back() + "en");  // pas -> passen
    if (IsVowel(root[k - 2]) && root[k - 2] == root[k - 3]) {
      std::string open = root;
      open.erase(k - 2, 1);  // maak -> maken
      if (open.back() == 'f') open.back() = 'v';
      if (open.back() == 's') open.back() = 'z';
      out.push_back(particle + open + "en");
    }
  }
  return out;
}

// A verb in -eren and its noun in -atie name one action: the texts write
// "Validatie", "Animatie", "Installatie" where a user types "valideren",
// "gif animeren" or "gevalideerde" (through its verb), and the other way
// round. The other form, or empty; the caller searches it only when the
// index holds its stem (docs/search.md: measured on every judged set).
std::string Nominalisation(const std::string& w) {
  const size_t n = w.size();
  if (n < 7) return {};
  if (w.compare(n - 4, 4, "atie") == 0) return w.substr(0, n - 4) + "eren";
  if (w.compare(n - 4, 4, "eren") == 0) return w.substr(0, n - 4) + "atie";
  return {};
}

// A diminutive typed where the texts use the base word ("afgeronde hoekjes"
// for "Afgeronde hoeken", "gestapelde staafjes" for "Gestapelde staven",
// "kopjes" for "Koppen"): the longest base wdutch knows, after -je(s) the
// root as it stands (hoek-jes), without the t or p of -tje/-pje
// (plaat-je, boom-pje), with g for -kje (wonink-je: woning) or without
// -etje and a doubled consonant (ball-etje: bal). Empty when none is a
// word. Only the query reads it: the index keeps "hoekjes" apart, so no
// item is re-indexed (docs/search.md: measured on every judged set).
std::string DiminutiveBase(const std::string& w, const Analyzer& analyzer) {
  std::string root;
  if (w.size() > 3 && w.compare(w.size() - 3, 3, "jes") == 0) {
    root = w.substr(0, w.size() - 3);
  } else if (w.size() > 2 && w.compare(w.size() - 2, 2, "je") == 0) {
    root = w.substr(0, w.size() - 2);
  }
  if (root.size() < 3) return {};
  std::vector<std::string> bases = {root};
  const char last = root.back();
  if (last == 't' || last == 'p') bases.push_back(root.substr(0, root.size() - 1));
  if (last == 'k') bases.push_back(root.substr(0, root.size() - 1) + "g");
  if (root.size() >= 5 && root.compare(root.size() - 2, 2, "et") == 0) {
    std::string bare = root.substr(0, root.size() - 2);
    if (bare[bare.size() - 1] == bare[bare.size() - 2]) bare.pop_back();
    bases.push_back(bare);
  }
  for (const auto& base : bases) {
    if (base.size() >= 3 && analyzer.IsWord(base)) return base;
  }
  return {};
}

// The present-tense forms of an infinitive ("voegen" -> voeg, voegt;
// "zetten" -> zet; "maken" -> maak, maakt; "slaan" -> sla, slaat).
std::vector<std::string> FiniteForms(const std::string& infinitive) {
  std::string base;
  if (infinitive.size() >= 4 && infinitive.compare(infinitive.size() - 3, 3, "aan") == 0) {
    // slaan -> sla, slaat (not "slat": the long vowel is written double when closed)
    return {infinitive.substr(0, infinitive.size() - 2),
            infinitive.substr(0, infinitive.size() - 1) + "t"};
  } else if (infinitive.size() >= 5 && infinitive.compare(infinitive.size() - 2, 2, "en") == 0) {
    base = infinitive.substr(0, infinitive.size() - 2);
    const size_t n = base.size();
    int vowel_groups = 0;
    for (size_t i = 0; i < n; ++i) {
      if (IsVowel(base[i]) && (i == 0 || !IsVowel(base[i - 1]))) ++vowel_groups;
    }
    if (n >= 2 && base[n - 1] == base[n - 2] && !IsVowel(base[n - 1])) {
      base.pop_back();  // zett -> zet
    } else if (vowel_groups == 1 && n >= 3 && !IsVowel(base[n - 1]) && IsVowel(base[n - 2]) &&
               base[n - 2] != 'i' && !IsVowel(base[n - 3])) {
      base.insert(n - 2, 1, base[n - 2]);  // mak -> maak (open syllable)
    }
    if (base.back() == 'v') base.back() = 'f';
    if (base.back() == 'z') base.back() = 's';
  } else {
    return {};
  }
  std::vector<std::string> forms = {base};
  if (base.back() != 't') forms.push_back(base + "t");
  return forms;
}

// A strong past participle typed where the texts name the verb ("tekst
// verborgen", "gesloten panden", "geschreven" for "Verbergen", "sluiten",
// "schrijven"): the vowel of its root is the verb's, changed (borg: berg,
// slot: sluit, schrev: schrijf), so the possible infinitives are spelled
// with each vowel Dutch strong verbs have before that participle vowel
// (the ablaut series: o after ie, ui, i or e; e after ij), and kept when
// wdutch knows the infinitive and its third person (`is_word`: "bergt",
// "sluit"), so a verb. Verbs that keep their vowel ("gegeven", "gelezen":
// geven, lezen) are tried too, but a plural noun looks the same
// ("gevallen", "getallen", "gebouwen", "gevaren" are no participles of
// vallen, tallen, bouwen, varen): such a reading is dropped when the word
// less -en or -n is a word as it stands, without its doubled consonant or
// with its vowel written double (geval, getal, gebouw, gevaar), which also
// drops the real participles "gedragen" and "gelopen" (gedrag, geloop).
// A changed vowel is no plural, and the word less -en is often the past
// tense ("verborg", "begon"), so no such check there. The caller searches
// only the infinitives whose stem the index holds.
std::vector<std::string> StrongParticipleInfinitives(
    const std::string& w, const std::function<bool(const std::string&)>& is_word) {
  const size_t n = w.size();
  if (n < 7 || w.compare(n - 2, 2, "en") != 0) return {};
  std::string particle;
  std::string root;  // the participle without ge- and -en
  if (w.compare(0, 2, "ge") == 0) {
    root = w.substr(2, n - 4);
  } else {
    for (std::string_view p : kParticles) {
      if (n > p.size() + 4 && w.compare(0, p.size(), p) == 0 && w.compare(p.size(), 2, "ge") == 0) {
        particle = std::string(p);
        root = w.substr(p.size() + 2, n - p.size() - 4);
        break;
      }
    }
    for (std::string_view p : kUnstressed) {
      if (particle.empty() && root.empty() && w.compare(0, p.size(), p) == 0) {
        root = w.substr(0, n - 2);
      }
    }
  }
  if (root.size() < 3 || !is_word(w)) return {};
  // The root's last vowel group.
  size_t end = root.size();
  while (end > 0 && !IsVowel(root[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && IsVowel(root[begin - 1])) --begin;
  if (begin == end) return {};
  const std::string vowel = root.substr(begin, end - begin);
  static const std::map<std::string, std::vector<std::string>, std::less<>> kAblaut = {
      {"o", {"ie", "ui", "i", "e", "o"}},
      {"e", {"ij", "e"}},
      {"a", {"a"}},
      {"oe", {"oe"}},
      {"ou", {"ou"}},
  };
  auto series = kAblaut.find(vowel);
  if (series == kAblaut.end()) return {};
  const auto plural = [&] {
    std::string singular = w.substr(0, n - 2);
    if (is_word(singular) || is_word(w.substr(0, n - 1))) return true;
    const size_t k = singular.size();
    if (singular[k - 1] == singular[k - 2] && !IsVowel(singular[k - 1])) {
      return is_word(singular.substr(0, k - 1));
    }
    if (IsVowel(singular[k - 2]) && !IsVowel(singular[k - 3]) && !IsVowel(singular[k - 1])) {
      singular.insert(k - 2, 1, singular[k - 2]);
      if (singular.back() == 'v') singular.back() = 'f';
      if (singular.back() == 'z') singular.back() = 's';
      return is_word(singular);
    }
    return false;
  };
  std::vector<std::string> out;
  for (const std::string& v : series->second) {
    std::string infinitive = particle + root.substr(0, begin) + v + root.substr(end) + "en";
    if (infinitive == w || !is_word(infinitive) || !is_word(FiniteForms(infinitive).back())) {
      continue;
    }
    if (v == vowel && plural()) continue;
    out.push_back(std::move(infinitive));
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Xapian::Query Phrase(const std::vector<std::string>& words, TermSource* terms, Highlight* hl) {
  // Snippets mark words, not phrases: a function word of a phrase ("door
  // het" in the expansion of "Bibob") would be marked wherever it stands and
  // pull the snippet towards it.
  for (const auto& w : words) {
    if (words.size() == 1 || !IsStopword(w)) hl->terms.insert(w);
  }
  if (words.size() == 1) return Xapian::Query(words[0]);
  return terms->Phrase(words);
}

// `terms` (stem terms, at least one) as one synonym weighing `scale`, each marked for snippets.
Xapian::Query WeighedSynonym(const std::set<std::string>& terms, double scale, Highlight* hl) {
  std::vector<Xapian::Query> stems;
  for (const auto& term : terms) {
    hl->terms.insert(term);
    stems.emplace_back(term);
  }
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end()), scale);
}

// The thesaurus's words for `word` when the index holds neither the word
// nor its stem, as one synonym of the stems the index does hold. A compound
// of two `parts` also stands for the compounds with a part replaced by one
// of its thesaurus words ("printbereik": print -> afdruk, "afdrukbereik").
std::optional<Xapian::Query> ThesaurusWords(const std::string& word,
                                            const std::vector<std::string>& parts,
                                            Analyzer* analyzer, TermSource* terms, Highlight* hl) {
  // The thesaurus holds words of a-z; longer words are never indexed.
  if (word.size() > schema::kMaxWordBytes ||
      std::any_of(word.begin(), word.end(), [](char c) { return c < 'a' || c > 'z'; }) ||
      terms->Exists(word) || terms->Exists(schema::Term(schema::kStem, analyzer->Stem(word)))) {
    return std::nullopt;
  }
  const Thesaurus& thesaurus = Thesaurus::Default();
  std::vector<std::string> candidates = thesaurus.Find(word);
  if (parts.size() == 2) {
    const std::string& head = parts[0];
    const std::string& tail = parts[1];
    const std::string link = word.substr(head.size(), word.size() - head.size() - tail.size());
    for (const auto& t : thesaurus.Find(head)) {
      for (std::string_view l : kJoinLinks) candidates.push_back(t + std::string(l) + tail);
    }
    for (const auto& t : thesaurus.Find(tail)) candidates.push_back(head + link + t);
  }
  std::set<std::string> found;
  for (const auto& candidate : candidates) {
    std::string term = schema::Term(schema::kStem, analyzer->Stem(candidate));
    if (terms->Exists(term)) found.insert(std::move(term));
  }
  // A word one edit from a word the index holds reads as a typo of it
  // ("pivot" for "pilot"): spelling correction's case, not a translation.
  // Checked last: up to 54 look-ups per letter.
  if (found.empty()) return std::nullopt;
  for (const auto& candidate : OneEditAway(word)) {
    if (terms->Exists(candidate)) return std::nullopt;
  }
  return WeighedSynonym(found, kThesaurusScale, hl);
}

// The close words of `word` (kCloseWordItems) as one synonym, or nothing.
// Adds to `shown`, once each, per close stem the written word most items
// hold (what the caller is told was searched too).
std::optional<Xapian::Query> CloseWords(const std::string& word, Analyzer* analyzer,
                                        TermSource* terms, Highlight* hl,
                                        std::vector<std::string>* shown) {
  if (word.size() < kCloseWordLength || IsStopword(word) ||
      std::any_of(word.begin(), word.end(), [](char c) { return c < 'a' || c > 'z'; }) ||
      analyzer->IsWord(word)) {
    return std::nullopt;
  }
  const uint64_t seen = terms->Frequency(word);
  if (seen >= kCloseWordItems) return std::nullopt;
  const std::string own = analyzer->Stem(word);
  // Close stem term -> the written candidate most items hold, and how many.
  std::map<std::string, std::pair<uint64_t, std::string>> close;
  for (const auto& candidate : OneEditAway(word)) {
    if (IsStopword(candidate)) continue;
    const uint64_t held = terms->Frequency(candidate);
    if (held < std::max<uint64_t>(1, kCloseWordMoreFrequent * seen)) continue;
    std::string stem = analyzer->Stem(candidate);
    if (stem == own) continue;
    auto& best = close[schema::Term(schema::kStem, stem)];
    if (held > best.first) best = {held, candidate};
  }
  if (close.empty()) return std::nullopt;
  std::set<std::string> stems;
  for (const auto& [term, best] : close) {
    stems.insert(term);
    if (std::find(shown->begin(), shown->end(), best.second) == shown->end()) {
      shown->push_back(best.second);
    }
  }
  return WeighedSynonym(stems, kCloseWordScale, hl);
}

// Whether the query builder adds close words (ParsedQuery::close_words), and
// whether a word had any.
struct CloseWordRule {
  bool add = false;
  bool found = false;
  std::vector<std::string> words;  // the close words added, as written, once each
};

// Everything one word means: its stem, its glossary equivalents and, at a
// lower weight, its compound parts together (and its close words, when
// `close` says so; nullptr: never).
Xapian::Query Concept(const std::vector<std::string>& words, Analyzer* analyzer,
                      const content::Glossary& glossary, TermSource* terms, Highlight* hl,
                      CloseWordRule* close) {
  std::vector<content::Glossary::Term> equivalents;
  bool in_glossary = glossary.Match(GlossaryKeys(words), 0, &equivalents) == words.size();
  // A one-word glossary term that is also a function word ("om") would
  // drag in unrelated matches: only its literal form counts.
  if (in_glossary && words.size() == 1 && IsStopword(words[0])) equivalents.clear();

  std::vector<Xapian::Query> stems;
  std::vector<Xapian::Query> alternatives;
  auto add_single = [&](const std::string& w) {
    std::string term = schema::Term(schema::kStem, analyzer->Stem(w));
    hl->terms.insert(term);
    stems.emplace_back(term);
  };
  if (words.size() == 1) {
    add_single(words[0]);
    const std::function<bool(const std::string&)> known = [terms](const std::string& w) {
      return terms->Exists(w);
    };
    const auto parts = analyzer->CompoundParts(words[0], &known);
    if (auto synonyms = ThesaurusWords(words[0], parts, analyzer, terms, hl)) {
      alternatives.push_back(*synonyms);
    }
    // Jargon is no typo of a word one edit away, as for spelling correction
    // (searcher.cc): neither a glossary term nor a word of one gets close words.
    if (close != nullptr && !glossary.HasWord(GlossaryKeys(words)[0])) {
      Highlight unused;
      std::vector<std::string> unshown;
      if (auto found = CloseWords(words[0], analyzer, terms, close->add ? hl : &unused,
                                  close->add ? &close->words : &unshown)) {
        close->found = true;
        if (close->add) alternatives.push_back(*found);
      }
    }
    if (!parts.empty()) {
      std::vector<Xapian::Query> part_queries;
      for (const auto& p : parts) {
        std::string term = schema::Term(schema::kStem, analyzer->Stem(p));
        hl->terms.insert(term);
        part_queries.emplace_back(term);
      }
      alternatives.emplace_back(
          Xapian::Query::OP_SCALE_WEIGHT,
          Xapian::Query(Xapian::Query::OP_AND, part_queries.begin(), part_queries.end()),
          kCompoundScale);
    }
    {
      std::vector<Xapian::Query> forms;
      for (const auto& term : OtherFormTerms(words[0], analyzer, terms)) {
        hl->terms.insert(term);
        forms.emplace_back(term);
      }
      if (!forms.empty()) {
        alternatives.emplace_back(
            Xapian::Query::OP_SCALE_WEIGHT,
            Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end()), kOtherFormScale);
      }
    }
    for (std::string_view particle : kParticles) {
      const std::string& w = words[0];
      if (w.size() < particle.size() + 5 || w.compare(0, particle.size(), particle) != 0) continue;
      std::vector<Xapian::Query> forms;
      for (const auto& f : FiniteForms(w.substr(particle.size()))) {
        if (!terms->Exists(f)) continue;
        hl->terms.insert(f);
        forms.emplace_back(f);
      }
      if (forms.empty()) continue;
      hl->terms.insert(std::string(particle));
      alternatives.emplace_back(
          Xapian::Query::OP_SCALE_WEIGHT,
          Xapian::Query(Xapian::Query::OP_AND,
                        Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end()),
                        Xapian::Query(std::string(particle))),
          kSeparableScale);
      break;
    }
  } else {
    alternatives.push_back(Phrase(words, terms, hl));
    // A glossary term adds readings, it never removes the plain one: its
    // words apart, each with everything it means ("de aanwas van criminele
    // jongeren" for "criminele aanwas", a word inside a compound).
    std::vector<Xapian::Query> each;
    for (const auto& w : words) {
      if (!IsStopword(w)) each.push_back(Concept({w}, analyzer, glossary, terms, hl, close));
    }
    if (!each.empty()) alternatives.emplace_back(Xapian::Query::OP_AND, each.begin(), each.end());
  }
  for (const auto& eq : equivalents) {
    if (eq.size() == 1) {
      add_single(eq[0]);
    } else {
      alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Phrase(eq, terms, hl),
                                kGlossaryPhraseScale);
    }
  }
  if (!stems.empty()) {
    alternatives.emplace_back(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end());
  }
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

Xapian::Query ClauseQuery(const Clause& c, Analyzer* analyzer, const content::Glossary& glossary,
                          TermSource* terms, Highlight* hl, CloseWordRule* close) {
  switch (c.kind) {
    case Clause::Kind::kPhrase:
      return Phrase(c.words, terms, hl);
    case Clause::Kind::kPrefix:
      hl->prefixes.push_back(c.words[0]);
      {
        // Expanded here rather than by OP_WILDCARD, so the query stays
        // countable (match_sets.h); same rule: the most frequent words.
        const std::vector<std::string> words = terms->Expand(c.words[0], kMaxWildcardExpansion);
        return Xapian::Query(Xapian::Query::OP_SYNONYM, words.begin(), words.end());
      }
    case Clause::Kind::kWord:
      break;
  }
  return Concept(c.words, analyzer, glossary, terms, hl, close);
}

}  // namespace

Xapian::Query TermSource::Phrase(const std::vector<std::string>& words) {
  return Xapian::Query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                       static_cast<Xapian::termcount>(words.size()));
}

ParsedQuery ParseQuery(const std::string& text) {
  ParsedQuery out;
  bool pending_or = false;
  bool pending_not = false;
  bool saw_text = false;
  size_t i = 0;
  auto add = [&](Clause clause, bool excluded) {
    if (excluded) {
      out.excluded.push_back(std::move(clause));
    } else if (pending_or && !out.groups.empty()) {
      out.groups.back().push_back(std::move(clause));
    } else {
      out.groups.push_back({std::move(clause)});
    }
    pending_or = false;
    pending_not = false;
  };
  while (i < text.size()) {
    if (IsSpace(text[i])) {
      ++i;
      continue;
    }
    saw_text = true;
    bool excluded = pending_not;
    if (text[i] == '-' || text[i] == '+') {
      excluded = excluded || text[i] == '-';
      ++i;
      if (i >= text.size() || IsSpace(text[i])) continue;
    }
    if (text[i] == '"') {
      size_t close = text.find('"', i + 1);
      std::string inner =
          text.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
      i = close == std::string::npos ? text.size() : close + 1;
      Clause c;
      c.kind = Clause::Kind::kPhrase;
      for (auto& t : Tokenize(inner)) c.words.push_back(std::move(t.text));
      if (!c.words.empty()) add(std::move(c), excluded);
      continue;
    }
    size_t end = i;
    while (end < text.size() && !IsSpace(text[end]) && text[end] != '"') ++end;
    std::string raw = text.substr(i, end - i);
    i = end;
    if (raw == "OR" || raw == "|") {
      pending_or = true;
      continue;
    }
    if (raw == "AND" || raw == "&") continue;
    if (raw == "NOT") {
      pending_not = true;
      continue;
    }
    Clause c;
    for (auto& t : Tokenize(raw)) c.words.push_back(std::move(t.text));
    if (c.words.empty()) continue;
    if (c.words.size() > 1 && !excluded) {
      // "kandidaat-wethouder" searches its words, each with its stem, so
      // "kandidaat-wethouders" is found; quotes ask for the exact phrase.
      for (auto& w : c.words) {
        Clause word;
        word.words = {std::move(w)};
        add(std::move(word), false);
      }
      continue;
    }
    if (c.words.size() > 1) {
      c.kind = Clause::Kind::kPhrase;
    } else if (raw.back() == '*' && c.words[0].size() >= 2) {
      c.kind = Clause::Kind::kPrefix;
    }
    add(std::move(c), excluded);
  }
  out.only_operators = saw_text && out.empty();
  return out;
}

std::vector<std::string> OtherFormTerms(const std::string& word, Analyzer* analyzer,
                                        TermSource* terms) {
  const std::string own = schema::Term(schema::kStem, analyzer->Stem(word));
  std::set<std::string> seen = {own};
  const std::function<bool(const std::string&)> is_word = [&](const std::string& w) {
    return analyzer->IsWord(w) || terms->Exists(w);
  };
  // The verb behind a participle, the -atie noun of the word or of that
  // verb ("gevalideerde" -> valideren, validatie) and the base of a
  // diminutive ("hoekjes" -> hoek). The word itself is in the list only to
  // have its noun; its own stem is left out.
  std::vector<std::string> family = ParticipleInfinitives(word, is_word);
  for (auto& verb : StrongParticipleInfinitives(word, is_word)) family.push_back(std::move(verb));
  family.push_back(word);
  for (size_t k = 0, n = family.size(); k < n; ++k) family.push_back(Nominalisation(family[k]));
  family.push_back(DiminutiveBase(word, *analyzer));
  std::vector<std::string> out;
  for (const auto& form : family) {
    if (form.empty()) continue;
    std::string term = schema::Term(schema::kStem, analyzer->Stem(form));
    if (seen.insert(term).second && terms->Exists(term)) out.push_back(std::move(term));
  }
  return out;
}

std::vector<std::string> WrittenForms(const std::string& word, Analyzer* analyzer,
                                      TermSource* terms) {
  const std::string stem = analyzer->Stem(word);
  // The forms share the word's start up to where the stem leaves it, less
  // one letter for a devoiced end ("bedrijf": bedrijven).
  size_t common = 0;
  while (common < word.size() && common < stem.size() && word[common] == stem[common]) ++common;
  const size_t prefix = std::max<size_t>(common > 1 ? common - 1 : common, 3);
  std::vector<std::string> forms = {word};
  for (const auto& t : terms->Expand(word.substr(0, prefix), kWrittenForms)) {
    if (t != word && analyzer->Stem(t) == stem) forms.push_back(t);
  }
  return forms;
}

std::vector<std::string> QueryWords(const ParsedQuery& parsed) {
  std::vector<std::string> words;
  for (const auto& group : parsed.groups) {
    for (const auto& c : group) {
      if (c.kind != Clause::Kind::kPrefix)
        words.insert(words.end(), c.words.begin(), c.words.end());
    }
  }
  return words;
}

namespace {

bool IsPlainWord(const std::vector<Clause>& group) {
  return group.size() == 1 && group[0].kind == Clause::Kind::kWord && group[0].words.size() == 1 &&
         !IsStopword(group[0].words[0]);
}

// The compound that plain words `first` and `second` form when written
// together, as one synonym of the stems the index holds; empty when none.
std::optional<Xapian::Query> Joined(const std::string& first, const std::string& second,
                                    Analyzer* analyzer, TermSource* terms, Highlight* hl) {
  std::vector<Xapian::Query> stems;
  for (std::string_view link : kJoinLinks) {
    std::string word = first;
    word.append(link).append(second);
    if (!terms->Exists(word)) continue;
    std::string term = schema::Term(schema::kStem, analyzer->Stem(word));
    hl->terms.insert(term);
    stems.emplace_back(term);
  }
  if (stems.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                       Xapian::Query(Xapian::Query::OP_SYNONYM, stems.begin(), stems.end()),
                       kJoinedScale);
}

}  // namespace

BuiltQuery BuildQuery(const ParsedQuery& parsed, Analyzer* analyzer,
                      const content::Glossary& glossary, TermSource* terms) {
  BuiltQuery out;
  CloseWordRule close{.add = parsed.close_words};
  // joined[i]: the compound of plain words i and i + 1, an alternative in both groups.
  std::vector<std::optional<Xapian::Query>> joined(parsed.groups.size());
  for (size_t k = 0; k + 1 < parsed.groups.size(); ++k) {
    if (IsPlainWord(parsed.groups[k]) && IsPlainWord(parsed.groups[k + 1])) {
      joined[k] = Joined(parsed.groups[k][0].words[0], parsed.groups[k + 1][0].words[0], analyzer,
                         terms, &out.highlight);
    }
  }
  // Runs of single-word groups are matched against multi-word glossary terms
  // first ("wet ter voorkoming van witwassen" -> wwft).
  std::vector<Xapian::Query> groups;
  size_t non_stop = 0;
  for (const auto& g : parsed.groups) {
    if (!(g.size() == 1 && g[0].kind == Clause::Kind::kWord && IsStopword(g[0].words[0]))) {
      ++non_stop;
    }
  }
  // The plain word typed before this group, stop words skipped (BuiltQuery::near).
  std::optional<std::string> previous_plain;
  size_t i = 0;
  while (i < parsed.groups.size()) {
    const auto& g = parsed.groups[i];
    bool glossary_word = false;
    if (g.size() == 1 && g[0].kind == Clause::Kind::kWord) {
      std::vector<std::string> run;
      for (size_t k = i; k < parsed.groups.size(); ++k) {
        const auto& gk = parsed.groups[k];
        if (gk.size() != 1 || gk[0].kind != Clause::Kind::kWord) break;
        run.push_back(gk[0].words[0]);
      }
      std::vector<content::Glossary::Term> eq;
      size_t len = glossary.Match(GlossaryKeys(run), 0, &eq);
      glossary_word = len == 1;
      if (len > 1) {
        std::vector<std::string> words(run.begin(), run.begin() + static_cast<long>(len));
        groups.push_back(Concept(words, analyzer, glossary, terms, &out.highlight, &close));
        joined[i + len - 1].reset();  // the term is read as a whole
        previous_plain = words.back();
        i += len;
        continue;
      }
      if (IsStopword(run[0]) && non_stop > 0) {
        ++i;
        continue;
      }
    }
    std::vector<Xapian::Query> alternatives;
    for (const auto& c : g) {
      alternatives.push_back(ClauseQuery(c, analyzer, glossary, terms, &out.highlight, &close));
    }
    // A one-word query ranks the page about the word first: the word as
    // typed (kExactFormScale) and how much of a title it covers
    // (title_match.h) weigh beside its stems.
    const bool one_word = non_stop == 1 && !glossary_word && IsPlainWord(g);
    if (one_word && terms->Exists(g[0].words[0])) {
      alternatives.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(g[0].words[0]),
                                kExactFormScale);
    }
    if (i > 0 && joined[i - 1]) alternatives.push_back(*joined[i - 1]);
    if (joined[i]) alternatives.push_back(*joined[i]);
    Xapian::Query group(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
    if (one_word) {
      group = Xapian::Query(Xapian::Query::OP_AND_MAYBE, group,
                            TitleMatch(analyzer->Stem(g[0].words[0])));
    }
    if (previous_plain && IsPlainWord(g) && out.near.size() < kMaxNearPairs) {
      out.near.push_back({*previous_plain, g[0].words[0]});
    }
    previous_plain = IsPlainWord(g) ? std::optional<std::string>(g[0].words[0]) : std::nullopt;
    groups.push_back(std::move(group));
    ++i;
  }
  // Coordination (kCoordinationWeight), on the optional side: it ranks, never
  // matches.
  if (groups.size() >= 2) {
    for (auto& group : groups) {
      group = Xapian::Query(
          Xapian::Query::OP_AND_MAYBE, group,
          Xapian::Query((new Xapian::FixedWeightPostingSource(kCoordinationWeight))->release()));
    }
  }
  out.has_close_words = close.found;
  out.close_words = std::move(close.words);
  if (groups.empty()) {
    out.match_all = true;
    out.strict = out.relaxed = Xapian::Query(std::string());
  } else {
    out.strict = Xapian::Query(Xapian::Query::OP_AND, groups.begin(), groups.end());
    out.relaxed = Xapian::Query(Xapian::Query::OP_OR, groups.begin(), groups.end());
    out.prefer_relaxed = groups.size() >= kQuestionWords;
    out.groups = std::move(groups);
  }
  if (!parsed.excluded.empty()) {
    Highlight ignored;
    std::vector<Xapian::Query> ex;
    for (const auto& c : parsed.excluded) {
      ex.push_back(ClauseQuery(c, analyzer, glossary, terms, &ignored, nullptr));
    }
    Xapian::Query exclusion(Xapian::Query::OP_OR, ex.begin(), ex.end());
    out.strict = Xapian::Query(Xapian::Query::OP_AND_NOT, out.strict, exclusion);
    out.relaxed = Xapian::Query(Xapian::Query::OP_AND_NOT, out.relaxed, exclusion);
  }
  return out;
}

}  // namespace kpo::search
