// Implements text_tools.h.
#include "editorial/text_tools.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <set>

#include "common/civil_date.h"
#include "common/local_time.h"
#include "content/item_address.h"
#include "content/validate.h"
#include "render/markdown.h"

namespace kpo::editorial {

namespace {

bool Digits(const std::string& s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

std::string ListLine(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

// Letters of a word in code points (UTF-8 continuation bytes not counted).
int Letters(const std::string& word) {
  return static_cast<int>(std::count_if(word.begin(), word.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool WordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80 || c == '-'; }

}  // namespace

std::string FormatUtc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

StatusOr<int64_t> ParseMoment(const std::string& text) {
  const Status bad = Status::Error(
      ErrorCode::kInvalidField,
      "Veld 'at' is geen tijdstip: gebruik bijvoorbeeld 2027-03-01T09:00 (Nederlandse tijd) of "
      "2027-03-01T08:00:00Z.");
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (text.size() < 16 || !content::IsValidDate(text.substr(0, 10)) || text[10] != 'T' ||
      !Digits(text, 11, 2, &h) || text[13] != ':' || !Digits(text, 14, 2, &mi) || h > 23 ||
      mi > 59) {
    return bad;
  }
  Digits(text, 0, 4, &y);
  Digits(text, 5, 2, &mo);
  Digits(text, 8, 2, &d);
  size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!Digits(text, at + 1, 2, &s) || s > 59) return bad;
    at += 3;
  }
  const int64_t naive = DaysFromCivil(y, mo, d) * 86400 + int64_t{h} * 3600 + int64_t{mi} * 60 + s;
  const std::string zone = text.substr(at);
  if (zone == "Z") return naive;
  if (zone.empty()) {
    // Dutch time, read as the academy reads its sessions: a time the
    // clocks skip or show twice is refused, not guessed.
    auto amsterdam = Zone::Amsterdam();
    if (!amsterdam.ok()) return amsterdam.status();
    LocalTime local;
    const TypedTime typed = CheckTypedLocalTime(**amsterdam, text.substr(0, 16), &local);
    if (typed == TypedTime::kMalformed) return bad;
    if (typed != TypedTime::kOk) {
      // Worded for the form and the API alike: the form's date-time field
      // takes no offset, and the API documents that it may carry one. The
      // moment is not repeated: it stands in the field (or the request) as
      // typed, and "2027-03-28T02:30" read as code in a Dutch sentence.
      return Status::Error(ErrorCode::kInvalidField,
                           "Het gekozen publicatiemoment " + TypedTimeProblem(typed) + ".");
    }
    return (*amsterdam)->ToUtc(local) + s;
  }
  int oh = 0, om = 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !Digits(zone, 1, 2, &oh) ||
      zone[3] != ':' || !Digits(zone, 4, 2, &om) || oh > 14 || om > 59) {
    return bad;
  }
  const int64_t offset = (int64_t{oh} * 3600 + int64_t{om} * 60) * (zone[0] == '+' ? 1 : -1);
  return naive - offset;
}

std::vector<std::string> ItemLines(const Item& item) {
  std::vector<std::string> lines = {
      "title: " + item.title,
      "type: " + item.type,
      "summary: " + item.summary,
      "themes: " + ListLine(item.themes),
      "regions: " + ListLine(item.regions),
      "werkplaats: " + item.werkplaats,
      "access: " + item.access,
      "groups: " + ListLine(item.groups),
      "published: " + item.published,
      "tags: " + ListLine(item.tags),
      "",
  };
  size_t start = 0;
  const std::string& body = item.body_markdown;
  while (start <= body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string::npos) {
      if (start < body.size()) lines.push_back(body.substr(start));
      break;
    }
    lines.push_back(body.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

LineDiff DiffLines(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  LineDiff diff;
  size_t prefix = 0;
  while (prefix < from.size() && prefix < to.size() && from[prefix] == to[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < from.size() - prefix && suffix < to.size() - prefix &&
         from[from.size() - 1 - suffix] == to[to.size() - 1 - suffix]) {
    ++suffix;
  }
  for (size_t i = 0; i < prefix; ++i) diff.lines.push_back({' ', from[i]});
  const size_t n = from.size() - prefix - suffix;
  const size_t m = to.size() - prefix - suffix;
  auto removed = [&](size_t i) {
    diff.lines.push_back({'-', from[prefix + i]});
    ++diff.removed;
  };
  auto added = [&](size_t j) {
    diff.lines.push_back({'+', to[prefix + j]});
    ++diff.added;
  };
  // The quadratic table is kept small (4M cells); beyond it the middle is
  // shown whole, still correct, just less fine-grained.
  constexpr size_t kMaxCells = size_t{4} << 20;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > kMaxCells) {
    for (size_t i = 0; i < n; ++i) removed(i);
    for (size_t j = 0; j < m; ++j) added(j);
  } else {
    // lcs[i][j]: length of the longest common subsequence of the middles'
    // tails from i and j.
    std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        at(i, j) = from[prefix + i] == to[prefix + j] ? at(i + 1, j + 1) + 1
                                                      : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    size_t i = 0, j = 0;
    while (i < n && j < m) {
      if (from[prefix + i] == to[prefix + j]) {
        diff.lines.push_back({' ', from[prefix + i]});
        ++i;
        ++j;
      } else if (at(i + 1, j) >= at(i, j + 1)) {
        removed(i++);
      } else {
        added(j++);
      }
    }
    while (i < n) removed(i++);
    while (j < m) added(j++);
  }
  for (size_t k = from.size() - suffix; k < from.size(); ++k) diff.lines.push_back({' ', from[k]});
  return diff;
}

std::vector<std::string> InternalLinks(const std::string& markdown) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  // Every target cmark renders (inline, reference, autolink, image).
  for (const std::string& url : render::LinkTargets(markdown)) {
    auto id = content::LinkedItemId(url);
    if (id && seen.insert(*id).second) out.push_back(*id);
  }
  return out;
}

Readability MeasureReadability(const std::string& text) {
  Readability r;
  int words_in_sentence = 0;
  auto end_sentence = [&] {
    if (words_in_sentence == 0) return;
    ++r.sentences;
    if (words_in_sentence > Readability::kLongSentenceWords) ++r.long_sentences;
    words_in_sentence = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (WordByte(c)) {
      size_t end = i;
      while (end < text.size() && WordByte(static_cast<unsigned char>(text[end]))) ++end;
      const std::string word = text.substr(i, end - i);
      if (std::any_of(word.begin(), word.end(), [](char ch) { return ch != '-'; })) {
        ++r.words;
        ++words_in_sentence;
        if (Letters(word) > Readability::kLongWordLetters) ++r.long_words;
      }
      i = end;
      continue;
    }
    // A sentence ends at . ! ? ; followed by space or the end, and at a
    // paragraph, heading or list item (a line break).
    if (c == '\n' ||
        ((c == '.' || c == '!' || c == '?' || c == ';') &&
         (i + 1 == text.size() || std::isspace(static_cast<unsigned char>(text[i + 1]))))) {
      end_sentence();
    }
    ++i;
  }
  end_sentence();
  if (r.sentences > 0) r.long_sentence_share = static_cast<double>(r.long_sentences) / r.sentences;
  if (r.words > 0) r.long_word_share = static_cast<double>(r.long_words) / r.words;
  // B1 guidance: few sentences over twenty words, few long words.
  if (r.long_sentence_share > 0.1) {
    r.advice.push_back(std::to_string(r.long_sentences) + " van " + std::to_string(r.sentences) +
                       " zinnen zijn lang (meer dan 20 woorden); maak ze korter.");
  }
  if (r.long_word_share > 0.05) {
    r.advice.push_back(std::to_string(r.long_words) + " van " + std::to_string(r.words) +
                       " woorden zijn lang (meer dan 12 letters); kies waar het kan een korter "
                       "woord.");
  }
  return r;
}

}  // namespace kpo::editorial
