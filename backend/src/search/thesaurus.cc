// Implements thesaurus.h.
#include "search/thesaurus.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "search/analyzer.h"

namespace kpo::search {

namespace {

// A gloss shared by more Dutch words than this is too general to pair them
// ("make": maken, doen, laten, ...).
constexpr size_t kMaxShared = 3;
// At most this many Dutch words for an English one.
constexpr size_t kMaxTranslations = 5;
// Shorter words are mostly function words and abbreviations.
constexpr size_t kMinLetters = 4;

// A dictd index number: base64 digits, most significant first.
uint64_t Base64Number(const std::string& digits) {
  static constexpr std::string_view kDigits =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uint64_t n = 0;
  for (char c : digits) {
    const size_t d = kDigits.find(c);
    if (d == std::string_view::npos) return 0;
    n = n * 64 + d;
  }
  return n;
}

// The whole text of a dictzip (gzip) file; empty when it cannot be read.
std::string Gunzip(const std::string& path) {
  std::string out;
  gzFile in = gzopen(path.c_str(), "rb");
  if (in == nullptr) return out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(in, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  if (n < 0) out.clear();
  gzclose(in);
  return out;
}

// One dictionary: headword -> its entries' senses, each a list of
// translations as written ("1. crossout, strikeout").
using Senses = std::vector<std::vector<std::string>>;
std::map<std::string, Senses> ReadDictionary(const std::string& base) {
  std::map<std::string, Senses> out;
  const std::string data = Gunzip(base + ".dict.dz");
  std::ifstream index(base + ".index");
  if (data.empty() || !index) return out;
  for (std::string line; std::getline(index, line);) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    for (std::string part; std::getline(fields, part, '\t');) f.push_back(part);
    if (f.size() < 3 || f[0].rfind("00database", 0) == 0) continue;
    const uint64_t offset = Base64Number(f[1]), length = Base64Number(f[2]);
    if (offset + length > data.size()) continue;
    std::stringstream entry(data.substr(offset, length));
    Senses& senses = out[Fold(f[0])];
    std::string text;
    std::getline(entry, text);  // the headword and its pronunciation
    while (std::getline(entry, text)) {
      size_t from = text.find_first_not_of(" \t0123456789.");
      if (from == std::string::npos) continue;
      std::vector<std::string> sense;
      std::stringstream items(text.substr(from));
      for (std::string item; std::getline(items, item, ',');) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) sense.push_back(item);
      }
      if (!sense.empty()) senses.push_back(std::move(sense));
    }
  }
  return out;
}

// One folded word of kMinLetters+ letters a-z: the words a query holds.
bool Usable(const std::string& w) {
  return w.size() >= kMinLetters &&
         std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

std::shared_ptr<const Thesaurus> Thesaurus::Load(const std::string& dir) {
  std::map<std::string, std::set<std::string>> words;
  std::map<std::string, std::set<std::string>> by_gloss;  // English gloss -> Dutch words
  for (const auto& [head, senses] : ReadDictionary(dir + "/freedict-nld-eng")) {
    if (!Usable(head)) continue;
    for (const auto& sense : senses) {
      for (const auto& gloss : sense) by_gloss[Fold(gloss)].insert(head);
    }
  }
  for (const auto& [gloss, dutch] : by_gloss) {
    if (dutch.size() < 2 || dutch.size() > kMaxShared) continue;
    for (const auto& w : dutch) {
      for (const auto& other : dutch) {
        if (other != w) words[w].insert(other);
      }
    }
  }
  for (const auto& [head, senses] : ReadDictionary(dir + "/freedict-eng-nld")) {
    if (!Usable(head) || senses.empty()) continue;
    size_t taken = 0;
    for (const auto& t : senses[0]) {
      const std::string dutch = Fold(t);
      if (!Usable(dutch) || dutch == head || taken == kMaxTranslations) continue;
      words[head].insert(dutch);
      ++taken;
    }
  }
  auto out = std::make_shared<Thesaurus>();
  for (auto& [w, synonyms] : words) out->words_[w].assign(synonyms.begin(), synonyms.end());
  return out;
}

const Thesaurus& Thesaurus::Default() {
  static const std::shared_ptr<const Thesaurus> thesaurus = Load("/usr/share/dictd");
  return *thesaurus;
}

std::shared_ptr<const Thesaurus> Thesaurus::FromLinesForTest(
    const std::vector<std::string>& lines) {
  auto out = std::make_shared<Thesaurus>();
  for (const auto& line : lines) {
    std::stringstream words(line);
    std::string head;
    words >> head;
    for (std::string w; words >> w;) out->words_[head].push_back(w);
  }
  return out;
}

const std::vector<std::string>& Thesaurus::Find(const std::string& folded_word) const {
  static const std::vector<std::string> kNone;
  auto it = words_.find(folded_word);
  return it == words_.end() ? kNone : it->second;
}

}  // namespace kpo::search
