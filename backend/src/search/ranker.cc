// Implements ranker.h.
#include "search/ranker.h"

#include <algorithm>
#include <array>
#include <map>

#include "search/index_terms.h"
#include "search/schema.h"

namespace kpo::search {

namespace {

// Questions rarely have more content words than this.
constexpr size_t kMaxWeighedGroups = 8;

using NearPairs = std::vector<std::array<std::string, 2>>;

// How many of `near`'s pairs stand within kProximityWindow positions in
// `d`, each word in any of its `forms`.
int PairsNear(const Xapian::Database& db, Xapian::docid d, const NearPairs& near,
              const std::map<std::string, std::vector<std::string>>& forms) {
  // A word typed between two others is in two pairs: its positions are
  // read once.
  std::map<std::string, std::vector<Xapian::termpos>> positions;
  auto at = [&](const std::string& word) -> const std::vector<Xapian::termpos>& {
    auto [it, added] = positions.try_emplace(word);
    if (added) {
      for (const auto& form : forms.at(word)) {
        for (auto p = db.positionlist_begin(d, form); p != db.positionlist_end(d, form); ++p) {
          it->second.push_back(*p);
        }
      }
      std::sort(it->second.begin(), it->second.end());
    }
    return it->second;
  };
  int n = 0;
  for (const auto& [first, second] : near) {
    const auto& a = at(first);
    const auto& b = at(second);
    for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
      if ((a[i] > b[j] ? a[i] - b[j] : b[j] - a[i]) < kProximityWindow) {
        ++n;
        break;
      }
      if (a[i] < b[j]) {
        ++i;
      } else {
        ++j;
      }
    }
  }
  return n;
}

// The last docid of the lower of the two halves ranked at once.
Xapian::docid Mid(Xapian::docid last) { return last / 2; }

struct DocRange {
  Xapian::docid first, last;
};

// The docid ranges a group's weights are kept in, whatever range is ranked
// (so a page ranked on one thread reuses the halves' weights): the two
// halves of a revision whose last docid is `last` (the lower one empty
// below two documents).
std::vector<DocRange> WeightHalves(Xapian::docid last) {
  const Xapian::docid mid = Mid(last);
  std::vector<DocRange> halves;
  if (mid >= 1) halves.push_back({1, mid});
  if (last > mid) halves.push_back({mid + 1, last});
  return halves;
}

struct Ranked {
  double weight;
  uint32_t date;
  Xapian::docid docid;
};

// The first `offset + size` of the query's matches within [first, last],
// in the order of the whole page.
std::vector<Ranked> RankRange(const Xapian::Database& db, Analyzer* analyzer, MatchSets* sets,
                              const RankRequest& r, Xapian::docid first, Xapian::docid last,
                              const RevisionSets& revision, NearPairs* near) {
  IndexTerms terms(db, sets, r.readable.get());
  terms.RankPhrasesBySet();
  const BuiltQuery built = BuildQuery(*r.parsed, analyzer, *r.glossary, &terms);
  if (near != nullptr && !r.by_date) *near = built.near;
  if (built.groups.size() != r.group_keys.size() || r.weigh.size() != r.group_keys.size()) {
    throw Xapian::InvalidOperationError("query groups differ between counting and ranking");
  }
  // Each group weighs its matches as it would inside the whole query;
  // `only` holds exactly the documents to rank (exclusions applied). Groups
  // without weights to use (ChooseWeighed) are ranked as they are.
  std::vector<Xapian::Query> groups;
  for (size_t g = 0; g < built.groups.size(); ++g) {
    if (!r.weigh[g]) {
      groups.push_back(built.groups[g]);
      continue;
    }
    // The halves that overlap the ranked range.
    std::vector<std::shared_ptr<const Weights>> parts;
    for (const DocRange& half : WeightHalves(revision.last)) {
      if (half.last >= first && half.first <= last) {
        parts.push_back(sets->Weigh(db, r.group_keys[g], built.groups[g], half.first, half.last));
      }
    }
    groups.emplace_back((new WeightsSource(std::move(parts)))->release());
  }
  Xapian::Enquire enquire(db);
  // Groups ranked as they are weigh as their kept weights do.
  enquire.set_weighting_scheme(RankingWeight());
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_FILTER,
                    Xapian::Query(r.relaxed ? Xapian::Query::OP_OR : Xapian::Query::OP_AND,
                                  groups.begin(), groups.end()),
                    Xapian::Query((new DocSetSource(r.only, first, last))->release())));
  if (r.by_date) {
    enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
  } else {
    enquire.set_sort_by_relevance_then_value(schema::kSlotDate, true);
  }
  uint64_t wanted = r.offset + r.size;
  if (!built.near.empty() && !r.by_date) wanted = std::max<uint64_t>(wanted, kProximityBlock);
  const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(wanted));
  std::vector<Ranked> out;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::docid d = *it;
    out.push_back({it.get_weight(), d < revision.date.size() ? revision.date[d] : 0, d});
  }
  return out;
}

}  // namespace

void Ranker::ChooseWeighed(const Xapian::Database& db, RankRequest* request) {
  // Past kMaxWeighedGroups groups rank as they are: a long pasted text would
  // otherwise weigh every one of its words over the whole index.
  request->weigh.clear();
  const std::vector<DocRange> halves = WeightHalves(sets_->Revision(db)->last);
  for (size_t g = 0; g < request->group_keys.size(); ++g) {
    const std::string& key = request->group_keys[g];
    const auto kept = [&](const DocRange& half) {
      return sets_->HasWeights(db, key, half.first, half.last);
    };
    request->weigh.push_back(
        g < kMaxWeighedGroups &&
        (weighs_ || (!halves.empty() && std::all_of(halves.begin(), halves.end(), kept))));
  }
}

std::vector<Xapian::docid> Ranker::Page(const Xapian::Database& db, Analyzer* analyzer,
                                        const RankRequest& request, uint64_t matches) {
  const auto revision = sets_->Revision(db);
  const Xapian::docid last = revision->last;
  const auto order = [&](const Ranked& a, const Ranked& b) {
    if (request.by_date && a.date != b.date) return a.date > b.date;
    if (a.weight != b.weight) return a.weight > b.weight;
    if (!request.by_date && a.date != b.date) return a.date > b.date;
    return a.docid < b.docid;
  };
  std::vector<Ranked> merged;
  NearPairs near;
  if (matches < split_from_ || last < 2) {
    merged = RankRange(db, analyzer, sets_.get(), request, 1, last, *revision, &near);
  } else {
    const Xapian::docid mid = Mid(last);
    std::vector<Ranked> lower;
    std::vector<Ranked> upper;
    const bool upper_ok = helper_->RunBeside(
        IndexVersion::Of(db),
        [&](const Xapian::Database& own, Analyzer* own_analyzer) {
          upper =
              RankRange(own, own_analyzer, sets_.get(), request, mid + 1, last, *revision, nullptr);
        },
        [&] { lower = RankRange(db, analyzer, sets_.get(), request, 1, mid, *revision, &near); });
    // Weights are only comparable within one revision: a helper that could
    // not reach the caller's leaves the upper half to the caller.
    if (!upper_ok) {
      upper = RankRange(db, analyzer, sets_.get(), request, mid + 1, last, *revision, nullptr);
    }
    merged.resize(lower.size() + upper.size());
    std::merge(lower.begin(), lower.end(), upper.begin(), upper.end(), merged.begin(), order);
  }
  if (!near.empty()) {
    // The written forms the caller's readable items hold, once per word.
    IndexTerms terms(db, sets_.get(), request.readable.get());
    std::map<std::string, std::vector<std::string>> forms;
    for (const auto& pair : near) {
      for (const auto& word : pair) {
        if (forms.count(word) == 0) forms.emplace(word, WrittenForms(word, analyzer, &terms));
      }
    }
    const auto block = merged.begin() + static_cast<long>(std::min(kProximityBlock, merged.size()));
    for (auto it = merged.begin(); it != block; ++it) {
      it->weight += kProximityWeight * PairsNear(db, it->docid, near, forms);
    }
    std::sort(merged.begin(), block, order);
  }
  std::vector<Xapian::docid> page;
  for (size_t i = static_cast<size_t>(request.offset);
       i < merged.size() && page.size() < request.size; ++i) {
    page.push_back(merged[i].docid);
  }
  return page;
}

}  // namespace kpo::search
