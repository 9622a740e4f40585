// Implements searcher.h.
#include "search/searcher.h"

#include <algorithm>
#include <filesystem>

#include "search/index_writer.h"
#include "search/schema.h"

namespace kpo::search {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kFewResults = 3;

// Counts facet values of every matching document from the facet table:
// the docid indexes straight into it, no document values are read. Exact
// because the match always runs with checkatleast = the database size.
class FacetSpy : public Xapian::MatchSpy {
 public:
  FacetSpy(const FacetTable* table, std::vector<size_t> columns)
      : table_(table), columns_(std::move(columns)) {
    for (size_t c : columns_) counts_[c].assign(table_->columns[c].values.size(), 0);
  }
  void operator()(const Xapian::Document& doc, double) override {
    const Xapian::docid d = doc.get_docid();
    for (size_t c : columns_) {
      const auto& col = table_->columns[c];
      if (d + 1 >= col.start.size()) continue;
      auto& counts = counts_[c];
      for (uint32_t i = col.start[d]; i < col.start[d + 1]; ++i) ++counts[col.ids[i]];
    }
  }
  std::string name() const override { return "kpo.FacetSpy"; }
  void AddTo(std::map<std::string, std::map<std::string, uint64_t>>* out) const {
    for (const auto& [c, counts] : counts_) {
      auto& facet = (*out)[schema::kFacets[c].name];
      for (size_t v = 0; v < counts.size(); ++v) {
        if (counts[v] > 0) facet[table_->columns[c].values[v]] = counts[v];
      }
    }
  }

 private:
  const FacetTable* table_;
  std::vector<size_t> columns_;
  std::map<size_t, std::vector<uint64_t>> counts_;
};

Xapian::Query And(const std::vector<Xapian::Query>& parts) {
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

double DateValue(const std::string& date) {
  return std::stod(date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2));
}

}  // namespace

Xapian::Query AccessFilter(const std::vector<std::string>& access_keys) {
  std::vector<Xapian::Query> terms;
  for (const auto& key : access_keys) terms.emplace_back(schema::Term(schema::kAccess, key));
  // No keys: nothing is readable. An empty OR matches nothing.
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

StatusOr<std::unique_ptr<Searcher>> Searcher::Open(const std::string& dir,
                                                   std::shared_ptr<const Lexicon> lexicon,
                                                   StemmerKind stemmer) {
  std::unique_ptr<Searcher> s(new Searcher(dir, std::move(lexicon), stemmer));
  try {
    s->db_ = Xapian::Database((fs::path(dir) / schema::kMainDir).string());
  } catch (const Xapian::Error& e) {
    return XapianError(e, "open index " + dir);
  }
  return s;
}

void Searcher::Refresh() {
  if (db_.reopen()) spelling_.clear();
  for (auto& [key, db] : spelling_) db.reopen();
}

const FacetTable& Searcher::Facets() {
  const auto revision = db_.get_revision();
  if (facets_ && facets_->revision == revision) return *facets_;
  auto table = std::make_unique<FacetTable>();
  table->revision = revision;
  const Xapian::docid last = db_.get_lastdocid();
  for (size_t c = 0; c < std::size(schema::kFacets); ++c) {
    auto& col = table->columns[c];
    std::map<std::string, uint32_t> value_ids;
    col.start.assign(static_cast<size_t>(last) + 2, 0);
    Xapian::docid filled = 0;
    const unsigned slot = schema::kFacets[c].slot;
    for (auto it = db_.valuestream_begin(slot); it != db_.valuestream_end(slot); ++it) {
      const Xapian::docid d = it.get_docid();
      while (filled < d) col.start[++filled] = static_cast<uint32_t>(col.ids.size());
      const std::string value = *it;
      size_t from = 0;
      for (;;) {
        size_t sep = value.find(schema::kFacetSeparator, from);
        std::string v =
            value.substr(from, sep == std::string::npos ? std::string::npos : sep - from);
        auto [id, fresh] = value_ids.emplace(v, static_cast<uint32_t>(col.values.size()));
        if (fresh) col.values.push_back(v);
        col.ids.push_back(id->second);
        if (sep == std::string::npos) break;
        from = sep + 1;
      }
    }
    while (filled < last + 1) col.start[++filled] = static_cast<uint32_t>(col.ids.size());
  }
  facets_ = std::move(table);
  return *facets_;
}

std::string Searcher::Generation() {
  try {
    Refresh();
    return std::to_string(db_.get_revision());
  } catch (const Xapian::Error&) {
    return "0";
  }
}

Xapian::Database Searcher::SpellingFor(const std::vector<std::string>& access_keys) {
  const fs::path base = fs::path(dir_) / schema::kSpellingDir;
  std::vector<std::string> keys = access_keys;
  if (std::find(keys.begin(), keys.end(), "all") != keys.end()) {
    // The redactie reads everything: the union of every spelling database.
    keys.clear();
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(base, ec)) {
      keys.push_back("dir:" + entry.path().filename().string());
    }
  }
  Xapian::Database combined;
  for (const auto& key : keys) {
    auto it = spelling_.find(key);
    if (it == spelling_.end()) {
      std::string name = key.rfind("dir:", 0) == 0 ? key.substr(4) : schema::SpellingDirName(key);
      fs::path path = base / name;
      std::error_code ec;
      if (!fs::exists(path / "iamglass", ec)) continue;
      it = spelling_.emplace(key, Xapian::Database(path.string())).first;
    }
    combined.add_database(it->second);
  }
  return combined;
}

std::string Searcher::Correct(const std::string& q, const ParsedQuery& parsed,
                              const std::vector<std::string>& access_keys,
                              const content::Glossary& glossary) {
  Xapian::Database spelling = SpellingFor(access_keys);
  if (spelling.size() == 0) return {};
  const Xapian::Query access = AccessFilter(access_keys);
  std::map<std::string, std::string> fixes;
  std::vector<content::Glossary::Term> unused;
  const std::vector<std::string> words = QueryWords(parsed);
  // Words of a glossary term ("money mule", "wwft") are jargon, not typos.
  std::vector<bool> jargon(words.size(), false);
  for (size_t i = 0; i < words.size(); ++i) {
    size_t len = glossary.Match(words, i, &unused);
    for (size_t k = i; k < i + len; ++k) jargon[k] = true;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (jargon[i] || w.size() < 3 || IsStopword(w) || fixes.count(w) > 0) continue;
    if (std::any_of(w.begin(), w.end(), [](char c) { return c < 'a' || c > 'z'; })) continue;
    // A word that occurs in a readable item is no typo.
    Xapian::Enquire known(db_);
    known.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(w), access));
    if (!known.get_mset(0, 1).empty()) continue;
    // Long words carry more typos ("vakantieprak" -> "vakantieparken" is 3).
    std::string fix = spelling.get_spelling_suggestion(w, w.size() >= 10 ? 3 : 2);
    if (!fix.empty() && fix != w) fixes[w] = fix;
  }
  if (fixes.empty()) return {};
  // Replace the typed words in place, keeping quotes and operators.
  std::string out = q;
  auto tokens = Tokenize(q);
  for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
    auto fix = fixes.find(it->text);
    if (fix != fixes.end()) out.replace(it->begin, it->end - it->begin, fix->second);
  }
  return out;
}

StatusOr<SearchResult> Searcher::SearchOnce(const SearchRequest& request, const ParsedQuery& parsed,
                                            const std::vector<std::string>& access_keys,
                                            const content::Glossary& glossary) {
  if (parsed.only_operators) {
    return Status::Error(ErrorCode::kInvalidSearchQ,
                         "De zoekvraag bevat alleen operatoren of leestekens. Voeg een zoekwoord "
                         "toe, bijvoorbeeld: bibob OR vastgoed.");
  }
  const std::function<bool(const std::string&)> indexed_word = [this](const std::string& w) {
    return db_.term_exists(w);
  };
  BuiltQuery built = BuildQuery(parsed, &analyzer_, glossary, &indexed_word);

  std::vector<Xapian::Query> common = {AccessFilter(access_keys)};
  if (!request.from.empty()) {
    common.emplace_back(Xapian::Query::OP_VALUE_GE, schema::kSlotDate,
                        Xapian::sortable_serialise(DateValue(request.from)));
  }
  if (!request.to.empty()) {
    common.emplace_back(Xapian::Query::OP_VALUE_LE, schema::kSlotDate,
                        Xapian::sortable_serialise(DateValue(request.to)));
  }
  std::map<std::string, Xapian::Query> facet_filters;
  for (const auto& facet : schema::kFacets) {
    auto it = request.filters.find(facet.name);
    if (it == request.filters.end() || it->second.empty()) continue;
    std::vector<Xapian::Query> values;
    for (const auto& v : it->second) values.emplace_back(schema::Term(facet.prefix, v));
    facet_filters[facet.name] = Xapian::Query(Xapian::Query::OP_OR, values.begin(), values.end());
  }
  auto filter_without = [&](const std::string& skip) {
    std::vector<Xapian::Query> parts = common;
    for (const auto& [name, fq] : facet_filters) {
      if (name != skip) parts.push_back(fq);
    }
    return And(parts);
  };

  const Xapian::doccount all = std::max<Xapian::doccount>(db_.get_doccount(), 1);
  const FacetTable& table = Facets();
  const bool by_date = request.sort == SortOrder::kDate || built.match_all;
  SearchResult result;
  result.highlight = built.highlight;

  auto run = [&](const Xapian::Query& user_query, bool with_facets) {
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, user_query, filter_without("")));
    if (by_date) {
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
    } else {
      enquire.set_sort_by_relevance_then_value(schema::kSlotDate, true);
    }
    std::vector<size_t> unselected;
    for (size_t c = 0; c < std::size(schema::kFacets); ++c) {
      if (facet_filters.count(schema::kFacets[c].name) == 0) unselected.push_back(c);
    }
    FacetSpy spy(&table, unselected);
    if (with_facets) enquire.add_matchspy(&spy);
    Xapian::MSet mset =
        enquire.get_mset(static_cast<Xapian::doccount>((request.page - 1) * request.size),
                         static_cast<Xapian::doccount>(request.size), all);
    if (with_facets) spy.AddTo(&result.facets);
    return mset;
  };

  Xapian::Query used = built.prefer_relaxed ? built.relaxed : built.strict;
  Xapian::MSet mset = run(used, true);
  result.relaxed = built.prefer_relaxed;
  if (mset.get_matches_estimated() == 0 && !built.prefer_relaxed && parsed.groups.size() > 1) {
    result.facets.clear();
    mset = run(built.relaxed, true);
    used = built.relaxed;
    result.relaxed = mset.get_matches_estimated() > 0;
  }
  result.total = mset.get_matches_estimated();
  for (auto it = mset.begin(); it != mset.end(); ++it)
    result.ids.push_back(it.get_document().get_data());

  // A facet with a selection: counted without its own selection.
  for (const auto& [name, fq] : facet_filters) {
    size_t column = 0;
    while (name != schema::kFacets[column].name) ++column;
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, used, filter_without(name)));
    FacetSpy spy(&table, {column});
    enquire.add_matchspy(&spy);
    (void)enquire.get_mset(0, 0, all);
    spy.AddTo(&result.facets);
  }
  return result;
}

StatusOr<SearchResult> Searcher::Search(const SearchRequest& request,
                                        const std::vector<std::string>& access_keys,
                                        const content::Glossary& glossary) {
  for (int attempt = 0;; ++attempt) {
    try {
      Refresh();
      const ParsedQuery parsed = ParseQuery(request.q);
      auto result = SearchOnce(request, parsed, access_keys, glossary);
      if (!result.ok()) return result;
      std::string fix = Correct(request.q, parsed, access_keys, glossary);
      if (!fix.empty()) {
        // Nothing or next to nothing found: the corrected query is searched
        // instead when it finds more ("witwasen" finds 2, "witwassen" 9).
        if (result->total < kFewResults) {
          auto corrected = SearchOnce(request, ParseQuery(fix), access_keys, glossary);
          if (corrected.ok() && corrected->total > result->total) {
            corrected->suggestion = fix;
            corrected->corrected = true;
            return corrected;
          }
        }
        result->suggestion = fix;
      }
      return result;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 2) return XapianError(e, "search");
      db_.reopen();
    } catch (const Xapian::Error& e) {
      return XapianError(e, "search");
    }
  }
}

Status Searcher::Suggest(const std::string& text, const std::vector<std::string>& access_keys,
                         size_t limit, std::vector<Completion>* completions,
                         std::vector<std::string>* title_ids) {
  completions->clear();
  title_ids->clear();
  auto tokens = Tokenize(text);
  if (tokens.empty()) return Status::Ok();
  const bool completing = tokens.back().end == text.size();
  const std::string prefix = tokens.back().text;
  if (!completing || prefix.size() < 2) return Status::Ok();
  const std::string head = text.substr(0, tokens.back().begin);
  try {
    Refresh();
    const Xapian::Query access = AccessFilter(access_keys);
    // Titles: every earlier word in the title, the last one as a prefix.
    std::vector<Xapian::Query> title_terms;
    for (size_t i = 0; i + 1 < tokens.size(); ++i) {
      title_terms.emplace_back(schema::Term(schema::kTitle, tokens[i].text));
    }
    title_terms.emplace_back(Xapian::Query::OP_WILDCARD, schema::Term(schema::kTitle, prefix), 64,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    Xapian::Enquire titles(db_);
    titles.set_query(Xapian::Query(Xapian::Query::OP_FILTER, And(title_terms), access));
    Xapian::MSet mset = titles.get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it)
      title_ids->push_back(it.get_document().get_data());

    // Words: the most frequent completions that occur in a readable item.
    std::vector<std::pair<Xapian::doccount, std::string>> candidates;
    size_t scanned = 0;
    for (auto t = db_.allterms_begin(prefix); t != db_.allterms_end(prefix) && scanned < 2000;
         ++t, ++scanned) {
      candidates.emplace_back(t.get_termfreq(), *t);
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    size_t checked = 0;
    for (const auto& [freq, term] : candidates) {
      if (completions->size() >= limit || ++checked > 40) break;
      if (term == prefix && candidates.size() > 1) continue;
      Xapian::Enquire probe(db_);
      probe.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term), access));
      if (probe.get_mset(0, 1).empty()) continue;
      completions->push_back({head + term});
    }
  } catch (const Xapian::Error& e) {
    return XapianError(e, "suggest");
  }
  return Status::Ok();
}

StatusOr<std::vector<std::string>> Searcher::Related(const std::string& id,
                                                     const std::vector<std::string>& access_keys,
                                                     size_t limit) {
  std::vector<std::string> ids;
  try {
    Refresh();
    const std::string id_term = schema::Term(schema::kId, id);
    Xapian::PostingIterator p = db_.postlist_begin(id_term);
    if (p == db_.postlist_end(id_term)) return ids;
    Xapian::RSet rset;
    rset.add_document(*p);
    Xapian::Enquire enquire(db_);
    struct StemsOnly : public Xapian::ExpandDecider {
      bool operator()(const std::string& term) const override {
        return term.size() > 3 && term[0] == 'Z';
      }
    } stems_only;
    Xapian::ESet eset = enquire.get_eset(20, rset, &stems_only);
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
    if (terms.empty()) return ids;
    Xapian::Query like(Xapian::Query::OP_OR, terms.begin(), terms.end());
    like = Xapian::Query(Xapian::Query::OP_AND_NOT, like, Xapian::Query(id_term));
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, like, AccessFilter(access_keys)));
    Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(limit));
    for (auto it = mset.begin(); it != mset.end(); ++it)
      ids.push_back(it.get_document().get_data());
  } catch (const Xapian::Error& e) {
    return XapianError(e, "related");
  }
  return ids;
}

StatusOr<uint64_t> Searcher::CountVisible(const std::vector<std::string>& access_keys) {
  try {
    Refresh();
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(std::string()),
                                    AccessFilter(access_keys)));
    Xapian::MSet mset = enquire.get_mset(0, 0, std::max<Xapian::doccount>(db_.get_doccount(), 1));
    return static_cast<uint64_t>(mset.get_matches_estimated());
  } catch (const Xapian::Error& e) {
    return XapianError(e, "count");
  }
}

}  // namespace kpo::search
