// Implements knowledge_base.h.
#include "knowledge/knowledge_base.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "access/policy.h"
#include "common/log.h"
#include "common/metrics.h"
#include "content/item_address.h"
#include "content/validate.h"
#include "knowledge/attachment_texts.h"
#include "knowledge/index_applier.h"
#include "knowledge/page_cache.h"
#include "knowledge/warm_up.h"
#include "render/markdown.h"
#include "search/analyzer.h"
#include "search/glossary_terms.h"
#include "search/searcher.h"
#include "search/snippet.h"
#include "search/thesaurus.h"
#include "store/item_store.h"

namespace kpo::knowledge {

namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxQueryBytes = 1000;
constexpr int kMaxPage = 1000;
constexpr int kMaxSize = 100;
constexpr int kMaxDepth = 10000;
constexpr size_t kMaxFilterValues = 20;
constexpr size_t kRelatedLimit = 5;
constexpr size_t kSuggestLimit = 5;

std::atomic<uint64_t> g_next_instance{1};

// Strict decimal parse: digits only, no sign, no spaces, at most 6 digits.
bool ParseCount(const std::string& text, int* out) {
  if (text.empty() || text.size() > 6) return false;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Replaces control characters (including DEL) by spaces.
std::string WithoutControls(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) c = ' ';
  }
  return out;
}

std::vector<std::string> SplitComma(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string v =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    v.erase(0, v.find_first_not_of(' '));
    v.erase(v.find_last_not_of(' ') + 1);
    if (!v.empty()) out.push_back(v);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Item Summary(Item item) {
  item.body_markdown.clear();
  item.body_text.clear();
  return item;
}

Status Invalid(ErrorCode code, std::string message) {
  return Status::Error(code, std::move(message));
}

}  // namespace

struct KnowledgeBase::Shared {
  std::string generation;
  std::shared_ptr<const content::Vocabulary> vocabulary;
  std::shared_ptr<const content::Glossary> glossary;
};

struct KnowledgeBase::ThreadState {
  std::unique_ptr<store::ItemStore> store;
  std::unique_ptr<search::Searcher> searcher;
  std::shared_ptr<const Shared> shared;
};

KnowledgeBase::KnowledgeBase(Options options) : options_(std::move(options)) {
  if (!options_.stemmer) options_.stemmer = search::StemmerKind::kKpo;
}

// Out of line: WarmUp is complete only here. Its thread stops first.
KnowledgeBase::~KnowledgeBase() = default;

void KnowledgeBase::WaitForWarmUp() { warm_up_->Wait(); }

std::vector<CacheUse> KnowledgeBase::Caches() {
  const search::MatchSets::Usage sets = match_sets_->usage();
  return {{"match_sets", sets.sets, sets.sets_bound},
          {"weights", sets.weights, sets.weights_bound},
          {"spelling", sets.suggestions, sets.suggestions_bound},
          {"search_pages", pages_->bytes(), pages_->bound()}};
}

StatusOr<std::unique_ptr<KnowledgeBase>> KnowledgeBase::Open(const Options& options) {
  std::unique_ptr<KnowledgeBase> kb(new KnowledgeBase(options));
  kb->instance_ = g_next_instance++;
  kb->match_sets_ = options.match_sets
                        ? options.match_sets
                        : std::make_shared<search::MatchSets>(options.match_set_bytes);
  kb->pages_ = std::make_shared<PageCache>(options.page_cache_bytes);
  std::error_code ec;
  if (!fs::exists(fs::path(options.data_dir) / "kpo.sqlite", ec)) {
    return Status::Error(ErrorCode::kStorageError, "Geen gegevens gevonden in " + options.data_dir +
                                                       ": voer eerst kpo-index uit.");
  }
  auto texts = AttachmentTexts::Open(options.data_dir);
  if (!texts.ok()) return texts.status();
  kb->attachment_texts_ = std::move(*texts);
  if (options.index_writer) {
    // Before any reader opens the index: a damaged one is replaced first.
    ApplierOptions writer;
    writer.data_dir = options.data_dir;
    writer.lexicon_path = options.lexicon_path;
    writer.stemmer = kb->options_.stemmer;
    writer.batch = 1000;  // serve (not ready) while a rebuild runs
    kb->writer_ = std::make_unique<IndexApplierThread>(
        writer, std::chrono::milliseconds(options.index_interval_ms));
    kb->writer_->WaitForFirstAttempt();
  }
  if (!options.lexicon_path.empty()) {
    auto lexicon = search::Lexicon::Load(options.lexicon_path);
    if (!lexicon.ok()) return lexicon.status();
    kb->lexicon_ = *lexicon;
  }
  // Read now (~0.1 s, once per process) rather than by the first search
  // with a word the index lacks (measured: that search took 100 ms).
  (void)search::Thesaurus::Default();
  kb->warm_up_ =
      std::make_unique<WarmUp>((fs::path(options.data_dir) / "index").string(), kb->lexicon_,
                               *kb->options_.stemmer, kb->match_sets_, options.warm_up_queries);
  auto state = kb->State();
  if (!state.ok()) return state.status();
  return kb;
}

StatusOr<KnowledgeBase::ThreadState*> KnowledgeBase::State() {
  // Keyed by instance number, not address: a later KnowledgeBase at the same
  // address must not inherit an old one's connections.
  thread_local std::unordered_map<uint64_t, std::unique_ptr<ThreadState>> states;
  auto& slot = states[instance_];
  if (!slot) {
    auto state = std::make_unique<ThreadState>();
    auto store = store::ItemStore::Open((fs::path(options_.data_dir) / "kpo.sqlite").string());
    if (!store.ok()) return store.status();
    state->store = std::move(*store);
    auto searcher = search::Searcher::Open((fs::path(options_.data_dir) / "index").string(),
                                           lexicon_, *options_.stemmer, match_sets_);
    if (!searcher.ok()) return searcher.status();
    state->searcher = std::move(*searcher);
    slot = std::move(state);
  }
  ThreadState* state = slot.get();
  // The vocabulary and glossary come with the index: reload them when the
  // index generation moves.
  std::string generation = state->searcher->Generation();
  std::shared_ptr<const Shared> shared;
  {
    std::lock_guard<std::mutex> lock(shared_mu_);
    shared = shared_;
  }
  if (!shared || shared->generation != generation) {
    auto fresh = std::make_shared<Shared>();
    fresh->generation = generation;
    auto vocab_text = state->store->GetDocument("vocabulary");
    if (!vocab_text.ok()) return vocab_text.status();
    auto vocab = content::Vocabulary::Parse(*vocab_text);
    fresh->vocabulary = vocab.ok() ? std::make_shared<content::Vocabulary>(std::move(*vocab))
                                   : std::make_shared<content::Vocabulary>();
    auto glossary_text = state->store->GetDocument("glossary");
    if (!glossary_text.ok()) return glossary_text.status();
    auto glossary = search::ParseGlossary(*glossary_text);
    fresh->glossary = glossary.ok() ? std::make_shared<content::Glossary>(std::move(*glossary))
                                    : std::make_shared<content::Glossary>();
    {
      std::lock_guard<std::mutex> lock(shared_mu_);
      shared_ = fresh;
    }
    shared = fresh;
    // A new revision: what people asked lately is searched again on it.
    warm_up_->Start(generation, fresh->glossary);
  }
  state->shared = shared;
  return state;
}

std::shared_ptr<const content::Vocabulary> KnowledgeBase::vocabulary() {
  auto state = State();
  if (!state.ok()) return std::make_shared<content::Vocabulary>();
  return (*state)->shared->vocabulary;
}

StatusOr<std::optional<Item>> KnowledgeBase::Readable(ThreadState* state, const Principal& who,
                                                      const std::string& id) {
  auto item = state->store->Get(id);
  if (!item.ok()) return item.status();
  if (!item->has_value() || !access::CanRead(who, **item)) return std::optional<Item>();
  return item;
}

StatusOr<SearchPage> KnowledgeBase::Search(const Principal& who, const SearchParams& params) {
  metrics::ScopedTimer timer(metrics::Family::kSearchDuration, {});  // platform: GET /metrics
  search::SearchRequest req;
  if (params.q.size() > kMaxQueryBytes) {
    return Invalid(ErrorCode::kInvalidSearchQ,
                   "De zoekvraag is te lang: gebruik maximaal 1000 tekens.");
  }
  if (content::FirstInvalidUtf8(params.q) != std::string::npos) {
    return Invalid(
        ErrorCode::kInvalidSearchQ,
        "De zoekvraag bevat tekens die geen geldige UTF-8 zijn. Typ de zoekvraag opnieuw.");
  }
  req.q = WithoutControls(params.q);
  if (!params.page.empty() &&
      (!ParseCount(params.page, &req.page) || req.page < 1 || req.page > kMaxPage)) {
    return Invalid(ErrorCode::kInvalidSearchPage,
                   "Parameter page moet een geheel getal van 1 tot en met 1000 zijn.");
  }
  if (!params.size.empty() &&
      (!ParseCount(params.size, &req.size) || req.size < 1 || req.size > kMaxSize)) {
    return Invalid(ErrorCode::kInvalidSearchSize,
                   "Parameter size moet een geheel getal van 1 tot en met 100 zijn.");
  }
  if (req.page * req.size > kMaxDepth) {
    return Invalid(ErrorCode::kInvalidSearchPage,
                   "Zo ver kan niet worden doorgebladerd (maximaal 10000 resultaten); verfijn de "
                   "zoekvraag.");
  }
  if (params.sort.empty() || params.sort == "relevance") {
    req.sort = search::SortOrder::kRelevance;
  } else if (params.sort == "date") {
    req.sort = search::SortOrder::kDate;
  } else {
    return Invalid(ErrorCode::kInvalidSearchSort,
                   "Parameter sort kent alleen 'relevance' en 'date'.");
  }
  for (const auto* d : {&params.from, &params.to}) {
    if (!d->empty() && !content::IsValidDate(*d)) {
      return Invalid(ErrorCode::kInvalidSearchDate, std::string("Parameter ") +
                                                        (d == &params.from ? "from" : "to") +
                                                        " moet een datum zijn als 2022-03-01.");
    }
  }
  if (!params.from.empty() && !params.to.empty() && params.from > params.to) {
    return Invalid(ErrorCode::kInvalidSearchDate, "Datum from ligt na datum to.");
  }
  req.from = params.from;
  req.to = params.to;
  if (params.spelling == "off") {
    req.correct_spelling = false;
  } else if (!params.spelling.empty() && params.spelling != "on") {
    return Invalid(ErrorCode::kInvalidParameter, "Parameter spelling kent alleen 'on' en 'off'.");
  }

  auto state_or = State();
  if (!state_or.ok()) return state_or.status();
  ThreadState* state = *state_or;
  const auto& vocab = *state->shared->vocabulary;
  for (const auto& [facet, raw] : params.filters) {
    auto values = SplitComma(raw);
    if (values.size() > kMaxFilterValues) {
      return Invalid(ErrorCode::kInvalidSearchFilter,
                     "Parameter " + facet + " mag hoogstens 20 waarden hebben.");
    }
    for (const auto& v : values) {
      bool known;
      if (facet == "type") {
        known = std::find(ItemTypes().begin(), ItemTypes().end(), v) != ItemTypes().end();
      } else if (facet == "year") {
        known = v.size() == 4 && std::all_of(v.begin(), v.end(), ::isdigit);
      } else {
        const char* kind = facet == "theme"    ? content::Vocabulary::kThemes
                           : facet == "region" ? content::Vocabulary::kRegions
                                               : content::Vocabulary::kWerkplaatsen;
        known = vocab.Has(kind, v);
      }
      if (!known) {
        return Invalid(ErrorCode::kInvalidSearchFilter,
                       "Onbekende waarde '" + v + "' voor " + facet +
                           ". Zie /api/vocabulary voor de geldige waarden.");
      }
    }
    req.filters[facet] = values;
  }

  const auto keys = access::PrincipalKeys(who);
  auto changes = state->store->ChangeCount();
  if (!changes.ok()) return changes.status();
  const std::string cache_key = PageCache::Key(state->shared->generation, *changes, keys, req);
  warm_up_->Remember(req.q, keys);
  // Issue 10: the search log counts what was typed, not facet clicks or page turns.
  const bool logged = options_.on_search && !req.q.empty() && req.page == 1 &&
                      req.filters.empty() && req.from.empty() && req.to.empty();
  if (auto cached = pages_->Get(cache_key)) {
    if (logged) options_.on_search(req.q, cached->total == 0);
    return *cached;
  }
  auto found = state->searcher->Search(req, keys, *state->shared->glossary);
  if (!found.ok()) return found.status();
  if (logged) options_.on_search(req.q, found->total == 0);
  SearchPage page;
  page.query = req.q;
  page.total = found->total;
  page.page = req.page;
  page.size = req.size;
  page.sort = req.sort == search::SortOrder::kDate ? "date" : "relevance";
  page.facets = std::move(found->facets);
  page.suggestion = found->suggestion;
  page.corrected = found->corrected;
  page.relaxed = found->relaxed;
  page.also_searched = std::move(found->also_searched);
  if (options_.page_cache_bytes > 0) page.cache_key = cache_key;
  search::Snippets snippets(found->highlight, state->searcher->analyzer());
  for (size_t i = 0; i < found->ids.size(); ++i) {
    const std::string& id = found->ids[i];
    auto item = Readable(state, who, id);
    if (!item.ok()) return item.status();
    if (!item->has_value()) {
      // The index and the store disagree (an index job not yet applied):
      // the store wins, the hit is dropped.
      Log(LogLevel::kWarn, "search.stale_hit", {{"id", id}});
      continue;
    }
    SearchHit hit;
    const int64_t attachments_revision = (*item)->attachments_revision;
    const std::string& text = (*item)->body_text.empty() ? (*item)->summary : (*item)->body_text;
    hit.snippet = snippets.Make(text);
    hit.item = Summary(std::move(**item));
    hit.partial = found->partial[i];
    if (!req.q.empty())
      hit.attachment = attachment_texts_->Matching(id, attachments_revision, req.q);
    page.hits.push_back(std::move(hit));
  }
  // Read after the key's generation and change count: a page is never
  // older than its key says.
  pages_->Put(cache_key, page);
  return page;
}

StatusOr<Document> KnowledgeBase::GetDocument(const Principal& who, const std::string& id) {
  if (!content::IsValidKey(id)) {
    return Invalid(ErrorCode::kInvalidDocumentId,
                   "Ongeldige document-id: alleen kleine letters, cijfers en '-'.");
  }
  auto state = State();
  if (!state.ok()) return state.status();
  auto item = Readable(*state, who, id);
  if (!item.ok()) return item.status();
  if (!item->has_value()) {
    return Invalid(ErrorCode::kDocumentNotFound, "Document '" + id + "' bestaat niet.");
  }
  auto html = ReaderHtml(who, (*item)->body_markdown);
  if (!html.ok()) return html.status();
  Document doc;
  doc.html = std::move(*html);
  doc.item = std::move(**item);
  return doc;
}

StatusOr<std::string> KnowledgeBase::ReaderHtml(const Principal& who, const std::string& markdown) {
  auto state = State();
  if (!state.ok()) return state.status();
  Status failed = Status::Ok();
  std::string html = render::MarkdownToHtml(markdown, [&](const std::string& url) {
    auto id = content::LinkedItemId(url);
    if (!id) return true;
    auto linked = Readable(*state, who, *id);
    if (!linked.ok()) failed = linked.status();
    return linked.ok() && linked->has_value();
  });
  if (!failed.ok()) return failed;
  return html;
}

StatusOr<std::vector<Item>> KnowledgeBase::Related(const Principal& who, const std::string& id) {
  auto doc = GetDocument(who, id);
  if (!doc.ok()) return doc.status();
  auto state = State();
  if (!state.ok()) return state.status();
  auto ids = (*state)->searcher->Related(id, access::PrincipalKeys(who), kRelatedLimit);
  if (!ids.ok()) return ids.status();
  std::vector<Item> items;
  for (const auto& rid : *ids) {
    auto item = Readable(*state, who, rid);
    if (!item.ok()) return item.status();
    if (item->has_value() && rid != id) items.push_back(Summary(std::move(**item)));
  }
  return items;
}

StatusOr<Suggestions> KnowledgeBase::Suggest(const Principal& who, const std::string& q) {
  if (q.size() > 200 || content::FirstInvalidUtf8(q) != std::string::npos) {
    return Invalid(ErrorCode::kInvalidSearchQ,
                   "Parameter q moet geldige tekst van hoogstens 200 tekens zijn.");
  }
  auto state = State();
  if (!state.ok()) return state.status();
  std::vector<search::Completion> completions;
  std::vector<std::string> title_ids;
  KPO_RETURN_IF_ERROR((*state)->searcher->Suggest(WithoutControls(q), access::PrincipalKeys(who),
                                                  kSuggestLimit, &completions, &title_ids));
  Suggestions out;
  for (auto& c : completions) out.completions.push_back(std::move(c.text));
  for (const auto& id : title_ids) {
    auto item = Readable(*state, who, id);
    if (!item.ok()) return item.status();
    if (item->has_value()) out.titles.push_back(Summary(std::move(**item)));
  }
  return out;
}

StatusOr<Health> KnowledgeBase::GetHealth(const Principal& who) {
  auto state = State();
  if (!state.ok()) return state.status();
  auto count = (*state)->searcher->CountVisible(access::PrincipalKeys(who));
  if (!count.ok()) return count.status();
  return Health{*count, (*state)->shared->generation};
}

StatusOr<Readiness> KnowledgeBase::GetReadiness() {
  auto unreadable = [](const Status& why) {
    return Status::Error(ErrorCode::kServiceUnavailable,
                         "Niet gereed: de zoekindex kan niet worden gelezen; herbouw hem met "
                         "kpo-admin reindex.",
                         why.ToString());
  };
  auto state = State();
  // A new index generation is opened here: a damaged index fails already
  // (under ASan's timing the fresh-clone run met this path, and answered 500).
  if (!state.ok()) {
    return state.status().Is(ErrorCode::kIndexError) ? unreadable(state.status()) : state.status();
  }
  Readiness ready;
  ready.index_generation = (*state)->shared->generation;
  auto pending = (*state)->store->PendingJobCount();
  if (!pending.ok()) return pending.status();
  ready.pending_index_jobs = *pending;
  if (Status read = (*state)->searcher->Probe(); !read.ok()) return unreadable(read);
  if (writer_) {
    if (std::string problem = writer_->Problem(); !problem.empty()) {
      return Status::Error(ErrorCode::kServiceUnavailable,
                           "Niet gereed: de zoekindex wordt niet bijgewerkt. " + problem);
    }
  }
  if (*pending > options_.ready_backlog) {
    return Status::Error(ErrorCode::kServiceUnavailable,
                         "Niet gereed: de zoekindex loopt achter; " + std::to_string(*pending) +
                             " wijzigingen wachten nog.");
  }
  return ready;
}

bool KnowledgeBase::WaitForIndex(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto state = State();
    if (state.ok()) {
      auto pending = (*state)->store->PendingJobCount();
      if (pending.ok() && *pending == 0) return true;
    }
    if (std::chrono::steady_clock::now() >= until) return false;
    if (writer_) writer_->Wake();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

StatusOr<AccessReport> KnowledgeBase::DocumentAccess(const Principal& who, const std::string& id) {
  if (!access::CanInspectAccess(who)) {
    return Invalid(ErrorCode::kForbidden,
                   "Alleen de redactie en beheerders kunnen zien wie een document mag lezen.");
  }
  auto doc = GetDocument(who, id);
  if (!doc.ok() && !doc.status().Is(ErrorCode::kDocumentNotFound)) return doc.status();
  auto state = State();
  if (!state.ok()) return state.status();
  auto item = (*state)->store->Get(id);
  if (!item.ok()) return item.status();
  if (!item->has_value()) {
    return Invalid(ErrorCode::kDocumentNotFound, "Document '" + id + "' bestaat niet.");
  }
  AccessReport report;
  report.access = (*item)->access;
  report.status = (*item)->status;
  // The roles that read it on their role alone, asked of the policy itself
  // (a role without groups or werkplaatsen), so the report cannot drift
  // from the rule: a list of its own had left out the academy, which reads
  // every course.
  for (Role role : {Role::kAnonymous, Role::kMember, Role::kEditor, Role::kRedactie,
                    Role::kAcademie, Role::kAdmin}) {
    Principal bare;
    bare.role = role;
    if (access::CanRead(bare, **item)) report.roles.emplace_back(RoleName(role));
  }
  for (const auto& key : access::ItemKeys(**item)) {
    if (key.rfind("group:", 0) == 0) {
      report.groups.push_back(key.substr(6));
    } else if (key.rfind("werkplaats:", 0) == 0) {
      report.werkplaatsen.push_back(key.substr(11));
    }
  }
  return report;
}

}  // namespace kpo::knowledge
