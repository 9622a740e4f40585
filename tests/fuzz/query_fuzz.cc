// libFuzzer target: the query parser and analyzer, and the whole search
// path behind them (validation, parsing, expansion, spelling, counting,
// ranking, snippets) over a real index of the demo content, as an
// anonymous caller and as a member. Every input must give a page or a
// Dutch parameter error (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "indexer/indexer.h"
#include "knowledge/knowledge_base.h"
#include "search/analyzer.h"
#include "search/query.h"

namespace {

// A real index of the demo content in a temporary directory, removed when
// the process ends.
struct Fixture {
  Fixture() {
    char tmpl[] = "/tmp/kpo-fuzz-query-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) std::abort();
    dir = tmpl;
    kpo::indexer::Options options;
    options.content_dir = KPO_SOURCE_DIR "/content";
    options.data_dir = dir + "/data";
    if (!kpo::indexer::Run(options).ok()) std::abort();
    kpo::knowledge::Options kb_options;
    kb_options.data_dir = options.data_dir;
    kb_options.page_cache_bytes = 0;  // every input reaches the searcher
    kb_options.warm_up_queries = 0;
    kb_options.match_set_bytes = size_t{16} << 20;
    auto opened = kpo::knowledge::KnowledgeBase::Open(kb_options);
    if (!opened.ok()) std::abort();
    kb = std::move(*opened);
    auto lexicon = kpo::search::Lexicon::Load("/usr/share/dict/dutch");
    analyzer = std::make_unique<kpo::search::Analyzer>(lexicon.ok() ? *lexicon : nullptr);
  }
  ~Fixture() {
    kb.reset();
    std::filesystem::remove_all(dir);
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  std::string dir;
  std::unique_ptr<kpo::knowledge::KnowledgeBase> kb;
  std::unique_ptr<kpo::search::Analyzer> analyzer;
};

Fixture& TheFixture() {
  static Fixture fixture;
  return fixture;
}

}  // namespace

// Indexing the demo content takes seconds under ASan: before the per-input
// timeout starts.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  TheFixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // the API refuses queries over 1000 bytes
  auto& f = TheFixture();
  const std::string q(reinterpret_cast<const char*>(data), size);

  // The analyzer alone: tokens lie inside the text, in order.
  size_t last_end = 0;
  for (const auto& token : kpo::search::Tokenize(q)) {
    if (token.begin < last_end || token.end > q.size() || token.begin >= token.end) std::abort();
    last_end = token.end;
    f.analyzer->Stem(token.text);
    f.analyzer->CompoundParts(token.text);
  }
  (void)kpo::search::Fold(q);

  // The whole search, as people reach it.
  kpo::Principal member;
  member.role = kpo::Role::kMember;
  member.user_id = 1;
  member.groups = {"gemeenten"};
  for (const auto& who : {kpo::Principal::Anonymous(), member}) {
    kpo::knowledge::SearchParams params;
    params.q = q;
    auto page = f.kb->Search(who, params);
    if (!page.ok() && page.status().code() != kpo::ErrorCode::kInvalidSearchQ) std::abort();
    params.sort = "date";
    params.spelling = "off";
    (void)f.kb->Search(who, params);
    (void)f.kb->Suggest(who, q);
  }
  return 0;
}
