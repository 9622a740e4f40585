// Implements index_writer.h.
#include "search/index_writer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <sstream>
#include <string_view>

#include "access/policy.h"
#include "search/schema.h"

namespace kpo::search {

namespace fs = std::filesystem;

Status XapianError(const Xapian::Error& e, const std::string& what) {
  std::string detail = what + ": " + e.get_description();
  const char* err = e.get_error_string();
  if (err != nullptr && std::strstr(err, std::strerror(ENOSPC)) != nullptr) {
    return Status::Error(ErrorCode::kNoSpaceLeft,
                         "De schijf is vol: de zoekindex kan niet worden bijgewerkt.", detail);
  }
  return Status::Error(ErrorCode::kIndexError,
                       "De zoekindex gaf een fout. Probeer het later opnieuw.", detail);
}

namespace {

bool IsSpellingWord(const std::string& w) {
  if (w.size() < 3 || w.size() > 30) return false;
  for (char c : w) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

// The text of the body's ATX headings ("## Aanpak"), one per line; fenced
// code blocks are skipped.
std::string Headings(const std::string& markdown) {
  std::string out;
  bool fenced = false;
  size_t start = 0;
  while (start < markdown.size()) {
    size_t end = markdown.find('\n', start);
    if (end == std::string::npos) end = markdown.size();
    std::string_view line(markdown.data() + start, end - start);
    start = end + 1;
    size_t indent = line.find_first_not_of(' ');
    if (indent > 3) continue;  // also npos: a blank line
    line.remove_prefix(indent);
    if (line.rfind("```", 0) == 0 || line.rfind("~~~", 0) == 0) fenced = !fenced;
    if (fenced) continue;
    size_t level = line.find_first_not_of('#');
    if (level == 0 || level > 6 || level == std::string_view::npos) continue;
    if (line[level] != ' ' && line[level] != '\t') continue;
    out.append(line.substr(level + 1)).push_back('\n');
  }
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& dir,
                                                         std::shared_ptr<const Lexicon> lexicon,
                                                         StemmerKind stemmer) {
  std::unique_ptr<IndexWriter> w(new IndexWriter(dir, std::move(lexicon), stemmer));
  try {
    fs::create_directories(fs::path(dir) / schema::kSpellingDir);
    w->main_ = Xapian::WritableDatabase((fs::path(dir) / schema::kMainDir).string(),
                                        Xapian::DB_CREATE_OR_OPEN);
    w->fresh_ = w->main_.get_doccount() == 0;
    w->prior_pairs_ = w->main_.get_metadata(schema::kPairsKey) == "1";
    std::istringstream prior(w->main_.get_metadata(schema::kPhrasesKey));
    for (std::string line; std::getline(prior, line);) {
      if (!line.empty()) w->prior_.insert(line);
    }
  } catch (const Xapian::Error& e) {
    return XapianError(e, "open index " + dir);
  } catch (const fs::filesystem_error& e) {
    return Status::Error(ErrorCode::kIndexError, "De indexmap kan niet worden aangemaakt.",
                         e.what());
  }
  return w;
}

Xapian::WritableDatabase& IndexWriter::Spelling(const std::string& access_key) {
  auto it = spelling_.find(access_key);
  if (it != spelling_.end()) return it->second;
  std::string path =
      (fs::path(dir_) / schema::kSpellingDir / schema::SpellingDirName(access_key)).string();
  return spelling_.emplace(access_key, Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN))
      .first->second;
}

void IndexWriter::ForgetSpelling(const std::string& id_term) {
  Xapian::PostingIterator p = main_.postlist_begin(id_term);
  if (p == main_.postlist_end(id_term)) return;
  Xapian::Document old = main_.get_document(*p);
  std::vector<std::string> keys;
  for (auto t = old.termlist_begin(); t != old.termlist_end(); ++t) {
    const std::string term = *t;
    if (term.rfind(schema::kAccess, 0) == 0) keys.push_back(term.substr(2));
  }
  for (auto t = old.termlist_begin(); t != old.termlist_end(); ++t) {
    const std::string term = *t;
    if (!IsSpellingWord(term)) continue;
    for (const auto& key : keys) {
      if (key != "all") Spelling(key).remove_spelling(term, 1);
    }
  }
}

void IndexWriter::IndexPhrases(const std::vector<std::vector<std::string>>& phrases) {
  phrases_.clear();
  indexed_.clear();
  for (const auto& p : phrases) {
    if (p.size() < 2) continue;
    phrases_[p[0]].push_back(p);
    indexed_.insert(schema::PhraseValue(p));
  }
}

void IndexWriter::AddPhraseTerms(std::vector<std::pair<Xapian::termpos, std::string>> at,
                                 Xapian::Document* doc) const {
  // Fields may share positions when one runs past the next one's start;
  // OP_PHRASE then sees both, and so does this.
  std::sort(at.begin(), at.end());
  auto has = [&](Xapian::termpos pos, const std::string& word) {
    return std::binary_search(at.begin(), at.end(), std::make_pair(pos, word));
  };
  for (auto it = at.begin(); it != at.end(); ++it) {
    const Xapian::termpos pos = it->first;
    const std::string& word = it->second;
    // Common-grams: with every pair word at the next position (sorted after
    // this position's words).
    const bool pair_word = schema::IsPairWord(word);
    auto next = std::partition_point(it, at.end(), [&](const auto& e) { return e.first <= pos; });
    for (; pair_word && next != at.end() && next->first == pos + 1; ++next) {
      if (!schema::IsPairWord(next->second)) continue;
      std::string term = schema::Term(schema::kPhrase, word);
      term.push_back(' ');
      term.append(next->second);
      doc->add_boolean_term(term);
    }
    auto starting = phrases_.find(word);
    if (starting == phrases_.end()) continue;
    for (const auto& phrase : starting->second) {
      bool match = true;
      for (size_t k = 1; k < phrase.size() && match; ++k) {
        match = has(pos + static_cast<Xapian::termpos>(k), phrase[k]);
      }
      if (match) doc->add_boolean_term(schema::Term(schema::kPhrase, schema::PhraseValue(phrase)));
    }
  }
}

Status IndexWriter::Put(const Item& item) {
  try {
    const std::string id_term = schema::Term(schema::kId, item.id);
    ForgetSpelling(id_term);

    Xapian::Document doc;
    doc.set_data(item.id);
    std::set<std::string> words;
    std::vector<std::pair<Xapian::termpos, std::string>> at;  // for phrase terms
    std::set<std::string> title_stems;
    // first_pos 0: no positions (a field repeated from another one).
    auto index_field = [&](const std::string& text, unsigned weight, unsigned first_pos,
                           bool title) {
      Xapian::termpos pos = first_pos;
      for (const auto& token : Tokenize(text)) {
        const std::string& word = token.text;
        if (word.size() > schema::kMaxWordBytes) continue;
        if (first_pos == 0) {
          doc.add_term(word, schema::kWholeWord * weight);
        } else {
          at.emplace_back(pos, word);
          doc.add_posting(word, pos++, schema::kWholeWord * weight);
        }
        words.insert(word);
        if (title) doc.add_term(schema::Term(schema::kTitle, word));
        if (IsStopword(word)) continue;
        const std::string stem = analyzer_.Stem(word);
        if (title) title_stems.insert(stem);
        doc.add_term(schema::Term(schema::kStem, stem), schema::kWholeWord * weight);
        for (const auto& part : analyzer_.CompoundParts(word)) {
          doc.add_term(part, schema::kCompoundPart * weight);
          doc.add_term(schema::Term(schema::kStem, analyzer_.Stem(part)),
                       schema::kCompoundPart * weight);
          words.insert(part);
        }
      }
    };
    index_field(item.title, schema::kTitleWeight, schema::kTitlePos, true);
    // The title's stems with its size, for title_match.h; boolean terms
    // (wdf 0) leave the document length, and so BM25, as it was.
    for (const auto& stem : title_stems) {
      doc.add_boolean_term(schema::TitleStemTerm(stem, title_stems.size()));
    }
    index_field(item.summary, schema::kSummaryWeight, schema::kSummaryPos, false);
    std::string tags;
    for (const auto& t : item.tags) tags += t + " ";
    index_field(tags, schema::kTagsWeight, schema::kTagsPos, false);
    index_field(item.body_text, schema::kBodyWeight, schema::kBodyPos, false);
    index_field(Headings(item.body_markdown), schema::kHeadingWeight, 0, false);
    AddPhraseTerms(std::move(at), &doc);

    doc.add_boolean_term(id_term);
    doc.add_boolean_term(schema::Term(schema::kType, item.type));
    for (const auto& t : item.themes) doc.add_boolean_term(schema::Term(schema::kTheme, t));
    for (const auto& r : item.regions) doc.add_boolean_term(schema::Term(schema::kRegion, r));
    if (!item.werkplaats.empty())
      doc.add_boolean_term(schema::Term(schema::kWerkplaats, item.werkplaats));
    std::string year = item.published.size() >= 4 ? item.published.substr(0, 4) : "";
    if (!year.empty()) doc.add_boolean_term(schema::Term(schema::kYear, year));
    const auto keys = access::ItemKeys(item);
    for (const auto& key : keys) doc.add_boolean_term(schema::Term(schema::kAccess, key));

    double date = 0;
    if (item.published.size() == 10) {
      date = std::stod(item.published.substr(0, 4) + item.published.substr(5, 2) +
                       item.published.substr(8, 2));
    }
    doc.add_value(schema::kSlotDate, Xapian::sortable_serialise(date));

    main_.replace_document(id_term, doc);
    for (const auto& key : keys) {
      if (key == "all") continue;  // the redactie reads the union of all spelling databases
      auto& spelling = Spelling(key);
      for (const auto& w : words) {
        if (IsSpellingWord(w)) spelling.add_spelling(w, 1);
      }
    }
  } catch (const Xapian::Error& e) {
    return XapianError(e, "index " + item.id);
  }
  return Status::Ok();
}

Status IndexWriter::Remove(const std::string& id) {
  try {
    const std::string id_term = schema::Term(schema::kId, id);
    ForgetSpelling(id_term);
    main_.delete_document(id_term);
  } catch (const Xapian::Error& e) {
    return XapianError(e, "remove " + id);
  }
  return Status::Ok();
}

Status IndexWriter::Clear() {
  try {
    // Release the write locks before reopening the same directories.
    main_.close();
    for (auto& [key, db] : spelling_) db.close();
    spelling_.clear();
    main_ = Xapian::WritableDatabase((fs::path(dir_) / schema::kMainDir).string(),
                                     Xapian::DB_CREATE_OR_OVERWRITE);
    fresh_ = true;
    prior_.clear();
    prior_pairs_ = false;
    for (const auto& entry : fs::directory_iterator(fs::path(dir_) / schema::kSpellingDir)) {
      Xapian::WritableDatabase(entry.path().string(), Xapian::DB_CREATE_OR_OVERWRITE).commit();
    }
  } catch (const Xapian::Error& e) {
    return XapianError(e, "clear index");
  } catch (const fs::filesystem_error& e) {
    return Status::Error(ErrorCode::kIndexError, "De indexmap kan niet worden gelezen.", e.what());
  }
  return Status::Ok();
}

Status IndexWriter::Commit() {
  try {
    for (auto& [key, db] : spelling_) db.commit();
    std::set<std::string> claim;
    for (const auto& p : indexed_) {
      if (fresh_ || prior_.count(p) > 0) claim.insert(p);
    }
    std::string listed;
    for (const auto& p : claim) listed.append(p).push_back('\n');
    main_.set_metadata(schema::kPhrasesKey, listed);
    // Every writer writes pair terms: claimed when no document predates them.
    const bool pairs = fresh_ || prior_pairs_;
    main_.set_metadata(schema::kPairsKey, pairs ? "1" : "");
    main_.commit();
    prior_ = std::move(claim);
    prior_pairs_ = pairs;
    fresh_ = main_.get_doccount() == 0;
  } catch (const Xapian::Error& e) {
    return XapianError(e, "commit");
  }
  return Status::Ok();
}

Status IndexWriter::Touch() {
  try {
    main_.set_metadata("kpo_touched", std::to_string(main_.get_revision()));
    main_.commit();
  } catch (const Xapian::Error& e) {
    return XapianError(e, "touch");
  }
  return Status::Ok();
}

}  // namespace kpo::search
