// Implements match_sets.h.
#include "search/match_sets.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "common/metrics.h"
#include "search/helper_thread.h"

namespace kpo::search {

namespace {

const char kPhraseKey = '\x01';  // phrase keys cannot collide with terms
const char kRangeKey = '\x02';   // nor can a weight key's docid range with its query

// What one kept set or weight list costs beside its payload: the key twice
// (LRU list and index), both nodes, the shared_ptr's control block, the
// object and its vector headers, and malloc's chunk headers. Counting the
// payload alone let a small index keep 2-3x the configured bytes, and RSS
// under distinct searches kept creeping up while the caches filled
// (issue 13, measured with tests/soak/soak.py; docs/performance.md).
constexpr size_t kEntryOverhead = 256;
size_t EntryCost(const std::string& key, size_t payload_bytes) {
  return payload_bytes + 2 * key.size() + kEntryOverhead;
}

}  // namespace

DocSet RevisionSets::DateRange(uint32_t from, uint32_t to) const {
  DocSet out(last);
  for (size_t d = 1; d < date.size(); ++d) {
    const uint32_t v = date[d];
    if ((from != 0 && v < from) || (to != 0 && v > to)) continue;
    out.Add(static_cast<DocSet::DocId>(d));
  }
  return out;
}

std::shared_ptr<const RevisionSets> MatchSets::Revision(const Xapian::Database& db) {
  const IndexVersion version = IndexVersion::Of(db);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (revision_ && revision_->version == version) return revision_;
  }
  auto sets = std::make_shared<RevisionSets>();
  sets->version = version;
  sets->last = db.get_lastdocid();
  sets->all = DocSet(sets->last);
  for (auto it = db.postlist_begin(std::string()); it != db.postlist_end(std::string()); ++it) {
    sets->all.Add(*it);
  }
  for (size_t c = 0; c < std::size(schema::kFacets); ++c) {
    const std::string prefix = schema::kFacets[c].prefix;
    auto& facet = sets->facets[c];
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
      facet.values.push_back((*t).substr(prefix.size()));
      DocSet set(sets->last);
      for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) set.Add(*p);
      facet.sets.push_back(std::move(set));
    }
  }
  sets->date.assign(static_cast<size_t>(sets->last) + 1, 0);
  for (auto it = db.valuestream_begin(schema::kSlotDate);
       it != db.valuestream_end(schema::kSlotDate); ++it) {
    sets->date[it.get_docid()] =
        static_cast<uint32_t>(std::lround(Xapian::sortable_unserialise(*it)));
  }
  std::istringstream phrases(db.get_metadata(schema::kPhrasesKey));
  for (std::string line; std::getline(phrases, line);) {
    if (!line.empty()) sets->phrase_terms.insert(line);
  }
  sets->pairs = db.get_metadata(schema::kPairsKey) == "1";
  sets->all.ForEach([&](DocSet::DocId d) { sets->by_date.push_back(d); });
  std::stable_sort(sets->by_date.begin(), sets->by_date.end(),
                   [&](DocSet::DocId a, DocSet::DocId b) { return sets->date[a] > sets->date[b]; });
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.revisions;
  // A thread still reading an older revision gets its sets without
  // replacing the newer ones.
  if (!revision_ || version.Supersedes(revision_->version)) revision_ = sets;
  return sets;
}

std::shared_ptr<const DocSet> MatchSets::Lookup(const IndexVersion& version,
                                                const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!(version == cached_version_)) return nullptr;
  const auto* hit = cache_.Get(key);
  metrics::CacheLookup("match_sets", hit != nullptr);
  return hit ? *hit : nullptr;
}

bool MatchSets::Adopt(const IndexVersion& version) {
  if (version.Supersedes(cached_version_)) {
    cache_.Clear();
    weights_.Clear();
    cached_version_ = version;
  }
  return version == cached_version_;  // false for an older revision
}

void MatchSets::Insert(const IndexVersion& version, const std::string& key,
                       std::shared_ptr<const DocSet> set) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!Adopt(version)) return;
  const size_t cost = EntryCost(key, set->Bytes());
  cache_.Put(key, std::move(set), cost);
}

MatchSets::Stats MatchSets::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

MatchSets::Usage MatchSets::usage() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {cache_.used(),     weights_.used(),     suggestion_bytes_,
          cache_.capacity(), weights_.capacity(), cache_bytes_ / 16};
}

void MatchSets::ClearTerms() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.Clear();
  weights_.Clear();
  suggestions_.clear();
  suggestion_bytes_ = 0;
}

namespace {

std::string SuggestionKey(const std::vector<std::string>& access_keys, const std::string& word) {
  std::vector<std::string> keys = access_keys;
  std::sort(keys.begin(), keys.end());
  std::string out;
  for (const auto& k : keys) out.append(k).push_back('\n');
  out.push_back('\n');
  out.append(word);
  return out;
}

// Cost of one kept suggestion beyond its strings (map node, two strings).
constexpr size_t kSuggestionOverhead = 128;

}  // namespace

std::optional<std::string> MatchSets::Suggestion(const Xapian::Database& db,
                                                 const std::vector<std::string>& access_keys,
                                                 const std::string& word) {
  const IndexVersion version = IndexVersion::Of(db);
  std::lock_guard<std::mutex> lock(mu_);
  if (!(version == suggestions_version_)) return std::nullopt;
  auto it = suggestions_.find(SuggestionKey(access_keys, word));
  if (it == suggestions_.end()) return std::nullopt;
  return it->second;
}

void MatchSets::PutSuggestion(const Xapian::Database& db,
                              const std::vector<std::string>& access_keys, const std::string& word,
                              const std::string& suggestion) {
  const IndexVersion version = IndexVersion::Of(db);
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = SuggestionKey(access_keys, word);
  const size_t cost = kSuggestionOverhead + key.size() + suggestion.size();
  // Bounded like the sets: a sixteenth of their bytes; past it the map
  // starts afresh.
  if (version.Supersedes(suggestions_version_) || suggestion_bytes_ + cost > cache_bytes_ / 16) {
    suggestions_.clear();
    suggestion_bytes_ = 0;
    suggestions_version_ = version;
  }
  if (!(version == suggestions_version_)) return;  // an older revision
  if (suggestions_.emplace(std::move(key), suggestion).second) suggestion_bytes_ += cost;
}

std::shared_ptr<const DocSet> MatchSets::Term(const Xapian::Database& db, const std::string& term) {
  const IndexVersion version = IndexVersion::Of(db);
  if (auto hit = Lookup(version, term)) return hit;
  auto set = std::make_shared<DocSet>(db.get_lastdocid());
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) set->Add(*it);
  Insert(version, term, set);
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.terms;
  return set;
}

Xapian::BM25Weight RankingWeight() {
  return Xapian::BM25Weight(schema::kBm25K1, 0, 1, schema::kBm25B, schema::kBm25MinNormLen);
}

std::shared_ptr<const DocSet> MatchSets::Phrase(const Xapian::Database& db,
                                                const std::vector<std::string>& words,
                                                HelperThread* helper) {
  const Xapian::docid last = db.get_lastdocid();
  const IndexVersion version = IndexVersion::Of(db);
  std::string key(1, kPhraseKey);
  for (const auto& w : words) key.append(w).push_back(' ');
  if (auto hit = Lookup(version, key)) return hit;
  const std::string value = schema::PhraseValue(words);
  const auto revision = Revision(db);
  if (revision->phrase_terms.count(value) > 0) {
    return Term(db, schema::Term(schema::kPhrase, value));
  }
  // Common-grams: two pair words are a term; a longer phrase holds only
  // where all its pair terms are.
  std::shared_ptr<DocSet> candidates;
  for (size_t i = 0; revision->pairs && i + 1 < words.size(); ++i) {
    if (!schema::IsPairWord(words[i]) || !schema::IsPairWord(words[i + 1])) continue;
    auto pair =
        Term(db, schema::Term(schema::kPhrase, schema::PhraseValue({words[i], words[i + 1]})));
    if (words.size() == 2) return pair;
    if (candidates) {
      *candidates &= *pair;
    } else {
      candidates = std::make_shared<DocSet>(*pair);
    }
  }
  auto set = std::make_shared<DocSet>(last);
  if (candidates && candidates->Count() == 0) {
    Insert(version, key, set);
    return set;
  }
  // Position checks are Xapian's: its matcher keeps one cursor on the
  // position table (~0.25 us per candidate); position lists opened per
  // document through the public API cost ~20x more. Inside an AND (the
  // filter) Xapian checks positions only where every part matches.
  class Collect : public Xapian::MatchSpy {
   public:
    explicit Collect(DocSet* out) : out_(out) {}
    void operator()(const Xapian::Document& doc, double) override { out_->Add(doc.get_docid()); }

   private:
    DocSet* out_;
  };
  // The matches within [first, end] (all when `ranged` is false) into `out`.
  const auto check = [&](const Xapian::Database& on, bool ranged, Xapian::docid first,
                         Xapian::docid end, DocSet* out) {
    Collect collect(out);
    Xapian::Query query(Xapian::Query::OP_PHRASE, words.begin(), words.end(),
                        static_cast<Xapian::termcount>(words.size()));
    if (candidates || ranged) {
      auto within = candidates ? std::shared_ptr<const DocSet>(candidates)
                               : std::shared_ptr<const DocSet>(revision, &revision->all);
      query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                            Xapian::Query((new DocSetSource(within, first, end))->release()));
    }
    Xapian::Enquire enquire(on);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.add_matchspy(&collect);
    (void)enquire.get_mset(0, 0, std::max<Xapian::doccount>(on.get_doccount(), 1));
  };
  // The work is one position check per document holding every word (or
  // every pair term): the rarest word's documents bound it.
  uint64_t work = candidates ? candidates->Count() : last;
  if (!candidates) {
    for (const auto& w : words) work = std::min<uint64_t>(work, db.get_termfreq(w));
  }
  const bool halved = helper != nullptr && work >= phrase_split_from_ && last >= 2;
  if (!halved) {
    check(db, false, 1, last, set.get());
  } else {
    // Two docid halves at once; each half's matches are the same
    // whichever handle of this revision checks them.
    const Xapian::docid mid = last / 2;
    DocSet upper(last);
    const bool upper_done = helper->RunBeside(
        version,
        [&](const Xapian::Database& own, Analyzer*) { check(own, true, mid + 1, last, &upper); },
        [&] { check(db, true, 1, mid, set.get()); });
    if (!upper_done) {
      upper = DocSet(last);
      check(db, true, mid + 1, last, &upper);
    }
    *set |= upper;
  }
  Insert(version, key, set);
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.phrases;
  if (candidates) ++stats_.checked;
  if (halved) ++stats_.halved;
  return set;
}

namespace {

// The name of a group's weights over one docid range.
std::string WeightsKey(const std::string& key, Xapian::docid first, Xapian::docid last) {
  std::string full_key = key;
  full_key.append(1, kRangeKey)
      .append(std::to_string(first))
      .append("-")
      .append(std::to_string(last));
  return full_key;
}

}  // namespace

std::shared_ptr<const Weights> MatchSets::Weigh(const Xapian::Database& db, const std::string& key,
                                                const Xapian::Query& query, Xapian::docid first,
                                                Xapian::docid last) {
  const IndexVersion version = IndexVersion::Of(db);
  const std::string full_key = WeightsKey(key, first, last);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (version == cached_version_) {
      if (const auto* hit = weights_.Get(full_key)) {
        ++stats_.from_weights;
        return *hit;
      }
    }
  }
  // Xapian weighs every match once, exhaustively; the spy sees each
  // document with the weight the matcher computed for it.
  class Collect : public Xapian::MatchSpy {
   public:
    explicit Collect(Weights* out) : out_(out) {}
    void operator()(const Xapian::Document& doc, double weight) override {
      out_->docids.push_back(doc.get_docid());
      out_->weights.push_back(weight);
      out_->max_weight = std::max(out_->max_weight, weight);
    }

   private:
    Weights* out_;
  };
  auto weights = std::make_shared<Weights>();
  Collect collect(weights.get());
  const auto revision = Revision(db);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(
      Xapian::Query::OP_FILTER, query,
      Xapian::Query(
          (new DocSetSource(std::shared_ptr<const DocSet>(revision, &revision->all), first, last))
              ->release())));
  enquire.add_matchspy(&collect);
  enquire.set_weighting_scheme(RankingWeight());
  (void)enquire.get_mset(0, 1, std::max<Xapian::doccount>(db.get_doccount(), 1));
  // One local database: the matcher visits documents in ascending order.
  if (!std::is_sorted(weights->docids.begin(), weights->docids.end())) {
    std::vector<size_t> order(weights->docids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return weights->docids[a] < weights->docids[b]; });
    Weights sorted;
    sorted.max_weight = weights->max_weight;
    for (size_t i : order) {
      sorted.docids.push_back(weights->docids[i]);
      sorted.weights.push_back(weights->weights[i]);
    }
    *weights = std::move(sorted);
  }
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.weighings;
  if (Adopt(version)) weights_.Put(full_key, weights, EntryCost(full_key, weights->Bytes()));
  return weights;
}

bool MatchSets::HasWeights(const Xapian::Database& db, const std::string& key, Xapian::docid first,
                           Xapian::docid last) {
  const IndexVersion version = IndexVersion::Of(db);
  const std::string full_key = WeightsKey(key, first, last);
  std::lock_guard<std::mutex> lock(mu_);
  return version == cached_version_ && weights_.Get(full_key) != nullptr;
}

std::shared_ptr<const DocSet> MatchSets::Node(const Xapian::Database& db, const Xapian::Query& q,
                                              Xapian::docid last, HelperThread* helper,
                                              bool* supported) {
  const size_t n = q.get_num_subqueries();
  auto combine = [&](bool intersect) {
    auto out = std::make_shared<DocSet>(*Node(db, q.get_subquery(0), last, helper, supported));
    for (size_t i = 1; i < n && *supported; ++i) {
      auto sub = Node(db, q.get_subquery(i), last, helper, supported);
      if (intersect) {
        *out &= *sub;
      } else {
        *out |= *sub;
      }
    }
    return std::shared_ptr<const DocSet>(out);
  };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return std::make_shared<DocSet>(last);
    case Xapian::Query::LEAF_MATCH_ALL:
      return Term(db, std::string());
    case Xapian::Query::LEAF_TERM: {
      auto t = q.get_terms_begin();
      return Term(db, t == q.get_terms_end() ? std::string() : *t);
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      return combine(true);
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
      return combine(false);
    case Xapian::Query::OP_AND_NOT: {
      auto out = std::make_shared<DocSet>(*Node(db, q.get_subquery(0), last, helper, supported));
      for (size_t i = 1; i < n && *supported; ++i) {
        out->Subtract(*Node(db, q.get_subquery(i), last, helper, supported));
      }
      return out;
    }
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return Node(db, q.get_subquery(0), last, helper, supported);
    case Xapian::Query::OP_PHRASE: {
      std::vector<std::string> words;
      for (size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = q.get_subquery(i);
        auto t = sub.get_terms_begin();
        if (sub.get_type() != Xapian::Query::LEAF_TERM || t == sub.get_terms_end()) {
          *supported = false;
          return std::make_shared<DocSet>(last);
        }
        words.push_back(*t);
      }
      return Phrase(db, words, helper);
    }
    default:
      *supported = false;
      return std::make_shared<DocSet>(last);
  }
}

std::optional<DocSet> MatchSets::Evaluate(const Xapian::Database& db, const Xapian::Query& query,
                                          HelperThread* helper) {
  bool supported = true;
  auto set = Node(db, query, db.get_lastdocid(), helper, &supported);
  if (!supported) return std::nullopt;
  return *set;
}

DocSetSource::DocSetSource(std::shared_ptr<const DocSet> set, Xapian::docid first,
                           Xapian::docid last)
    : set_(std::move(set)),
      first_(first),
      last_(last),
      ranged_(first > 1 || last < DocSet::kEnd - 1),
      count_(static_cast<Xapian::doccount>(set_->Count())) {}

void DocSetSource::Seek(Xapian::docid from) {
  current_ = set_->NextFrom(std::max(from, first_));
  if (current_ > last_) current_ = DocSet::kEnd;
}

void DocSetSource::init(const Xapian::Database&) { current_ = 0; }

void DocSetSource::next(double) { Seek(current_ + 1); }

void DocSetSource::skip_to(Xapian::docid did, double) {
  if (did > current_) Seek(did);
}

WeightsSource::WeightsSource(std::vector<std::shared_ptr<const Weights>> parts)
    : parts_(std::move(parts)) {
  for (const auto& p : parts_) count_ += static_cast<Xapian::doccount>(p->docids.size());
}

void WeightsSource::init(const Xapian::Database&) {
  part_ = 0;
  pos_ = 0;
  started_ = false;
  double max = 0;
  for (const auto& p : parts_) max = std::max(max, p->max_weight);
  set_maxweight(max);
}

void WeightsSource::Settle() {
  while (part_ < parts_.size() && pos_ >= parts_[part_]->docids.size()) {
    ++part_;
    pos_ = 0;
  }
}

void WeightsSource::next(double) {
  if (started_) {
    ++pos_;
  } else {
    started_ = true;
  }
  Settle();
}

void WeightsSource::skip_to(Xapian::docid did, double) {
  started_ = true;
  Settle();
  while (part_ < parts_.size() && parts_[part_]->docids.back() < did) {
    ++part_;
    pos_ = 0;
    Settle();
  }
  if (part_ >= parts_.size()) return;
  const auto& ids = parts_[part_]->docids;
  if (ids[pos_] < did) {
    pos_ = static_cast<size_t>(
        std::lower_bound(ids.begin() + static_cast<long>(pos_), ids.end(), did) - ids.begin());
  }
}

}  // namespace kpo::search
