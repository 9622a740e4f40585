// kpo-eval: search quality on the graded judgments in judgments.tsv.
// Prints nDCG@10, MRR and recall@10 per system and per query kind for KPO
// (with each stemmer), plain Xapian (TermGenerator + QueryParser with the
// Snowball "dutch" stemmer and nothing else) and any peer run files.
//
//   kpo-eval --content DIR --judgments FILE [--run NAME=FILE]... [--lexicon FILE]
//            [--write-baseline FILE] [--per-query FILE]
//            [--stemmer NAME]   KPO's stemmer (default kpo; dutch, kraaij_pohlmann)
//            [--kpo-only]       KPO alone, without its variants and peers
//   kpo-eval --content DIR --gate JUDGMENTS=BASELINE_FILE [--gate ...]
//            the relevance gate: KPO alone on each set, one index for all of
//            them; fails (exit 1) when a set's nDCG@10 is more than 0.02
//            below its baseline
// Searches as an anonymous user, or, after a line "# as: GROUPS" in the
// judgments, as a signed-in member of those partner groups (comma-separated):
// each query is judged on what its caller may read.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include <xapian.h>

#include "access/policy.h"
#include "content/item_file.h"
#include "content/vocabulary.h"
#include "indexer/indexer.h"
#include "knowledge/knowledge_base.h"
#include "render/markdown.h"
#include "search/analyzer.h"

namespace fs = std::filesystem;

namespace {

constexpr double kAllowedDrop = 0.02;

struct Query {
  std::string id, text, kind;
  std::map<std::string, int> grades;  // item id -> grade
  std::vector<std::string> groups;    // "# as:" groups; empty: anonymous
};

// Who runs `q`: anonymous, or a member of the "# as:" groups.
kpo::Principal Caller(const Query& q) {
  if (q.groups.empty()) return kpo::Principal::Anonymous();
  kpo::Principal p;
  p.role = kpo::Role::kMember;
  p.user_id = 1;
  p.groups = q.groups;
  return p;
}
using Run = std::map<std::string, std::vector<std::string>>;  // query id -> ranked ids
// Query id -> the spelling suggestion KPO made ("corrected: " when it searched it).
using Suggestions = std::map<std::string, std::string>;

std::vector<Query> LoadJudgments(const std::string& path) {
  std::ifstream in(path);
  std::map<std::string, Query> by_id;
  std::vector<std::string> order;
  std::string line;
  std::vector<std::string> as;
  while (std::getline(in, line)) {
    if (line.rfind("# as:", 0) == 0) {
      as.clear();
      std::stringstream groups(line.substr(5));
      for (std::string g; std::getline(groups, g, ',');) {
        g.erase(0, g.find_first_not_of(' '));
        g.erase(g.find_last_not_of(' ') + 1);
        if (!g.empty()) as.push_back(g);
      }
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '\t')) f.push_back(part);
    if (f.size() != 4) continue;
    auto [it, fresh] = by_id.emplace(f[0], Query());
    if (fresh) {
      order.push_back(f[0]);
      it->second.id = f[0];
      it->second.text = f[1];
      size_t a = f[0].find('-'), b = f[0].find('-', a + 1);
      it->second.kind = f[0].substr(a + 1, b - a - 1);
      it->second.groups = as;
    }
    it->second.grades[f[2]] = std::stoi(f[3]);
  }
  std::vector<Query> out;
  for (const auto& id : order) out.push_back(by_id[id]);
  return out;
}

Run LoadRun(const std::string& path) {
  Run run;
  std::ifstream in(path);
  std::string qid, rank, id;
  while (in >> qid >> rank >> id) run[qid].push_back(id);
  return run;
}

struct Scores {
  double ndcg = 0, mrr = 0, recall = 0;
  int n = 0;
  void Add(const Scores& s) {
    ndcg += s.ndcg;
    mrr += s.mrr;
    recall += s.recall;
    n += s.n;
  }
};

Scores Score(const Query& q, const std::vector<std::string>& ranked) {
  Scores s;
  s.n = 1;
  double dcg = 0;
  int found = 0;
  for (size_t i = 0; i < ranked.size() && i < 10; ++i) {
    auto g = q.grades.find(ranked[i]);
    if (g == q.grades.end()) continue;
    dcg += (std::pow(2.0, g->second) - 1) / std::log2(static_cast<double>(i) + 2);
    ++found;
    if (s.mrr == 0 && g->second >= 2) s.mrr = 1.0 / (static_cast<double>(i) + 1);
  }
  std::vector<int> ideal;
  for (const auto& [id, g] : q.grades) ideal.push_back(g);
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (size_t i = 0; i < ideal.size() && i < 10; ++i) {
    idcg += (std::pow(2.0, ideal[i]) - 1) / std::log2(static_cast<double>(i) + 2);
  }
  s.ndcg = idcg > 0 ? dcg / idcg : 0;
  s.recall =
      static_cast<double>(found) / static_cast<double>(std::min<size_t>(q.grades.size(), 10));
  return s;
}

// KPO's index of `content` in a temporary data dir, removed with it.
class KpoIndex {
 public:
  KpoIndex(const std::string& content, const std::string& lexicon, kpo::search::StemmerKind kind)
      : data_((fs::temp_directory_path() / ("kpo-eval-" + std::to_string(getpid()) + "-" +
                                            std::to_string(static_cast<int>(kind))))
                  .string()) {
    fs::remove_all(data_);
    kpo::indexer::Options io;
    io.content_dir = content;
    io.data_dir = data_;
    io.lexicon_path = lexicon;
    io.stemmer = kind;
    auto indexed = kpo::indexer::Run(io);
    if (!indexed.ok()) {
      std::cerr << "kpo-eval: " << indexed.status().ToString() << "\n";
      std::exit(2);
    }
    kpo::knowledge::Options ko;
    ko.data_dir = data_;
    ko.lexicon_path = lexicon;
    ko.stemmer = kind;
    auto kb = kpo::knowledge::KnowledgeBase::Open(ko);
    if (!kb.ok()) {
      std::cerr << "kpo-eval: " << kb.status().ToString() << "\n";
      std::exit(2);
    }
    kb_ = std::move(*kb);
  }
  KpoIndex(const KpoIndex&) = delete;
  KpoIndex& operator=(const KpoIndex&) = delete;
  ~KpoIndex() {
    kb_.reset();
    fs::remove_all(data_);
  }

  Run Search(const std::vector<Query>& queries, Suggestions* suggestions = nullptr) const {
    Run run;
    for (const auto& q : queries) {
      kpo::knowledge::SearchParams p;
      p.q = q.text;
      p.size = "10";
      auto page = kb_->Search(Caller(q), p);
      if (!page.ok()) continue;
      for (const auto& hit : page->hits) run[q.id].push_back(hit.item.id);
      if (suggestions != nullptr && !page->suggestion.empty()) {
        (*suggestions)[q.id] = (page->corrected ? "corrected: " : "suggested: ") + page->suggestion;
      }
    }
    return run;
  }

 private:
  std::string data_;
  std::unique_ptr<kpo::knowledge::KnowledgeBase> kb_;
};

Run RunKpo(const std::string& content, const std::string& lexicon, kpo::search::StemmerKind kind,
           const std::vector<Query>& queries, Suggestions* suggestions = nullptr) {
  return KpoIndex(content, lexicon, kind).Search(queries, suggestions);
}

// The baseline every Xapian tutorial builds: no folding, no compounds,
// no synonyms, no spelling.
Run RunPlainXapian(const std::string& content, const std::vector<Query>& queries) {
  auto vocab = kpo::content::Vocabulary::Load(content + "/vocabulary.yaml");
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("dutch"));
  std::vector<kpo::Item> items;  // by docid - 1
  for (const auto& entry : fs::recursive_directory_iterator(content)) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    auto parsed = kpo::content::ParseItemFile(entry.path().filename().string(), buf.str(), *vocab);
    if (!parsed.item || parsed.item->status != "published") continue;
    const auto& item = *parsed.item;
    items.push_back(item);
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(item.title, 5);
    tg.increase_termpos();
    tg.index_text(item.summary, 3);
    for (const auto& t : item.tags) tg.index_text(t, 3);
    tg.index_text(kpo::render::MarkdownToText(item.body_markdown));
    doc.set_data(item.id);
    db.add_document(doc);
  }
  Xapian::QueryParser qp;
  qp.set_stemmer(Xapian::Stem("dutch"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_database(db);
  Run run;
  for (const auto& q : queries) {
    Xapian::Query query;
    try {
      query = qp.parse_query(q.text);
    } catch (const Xapian::QueryParserError&) {
      continue;
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    // The caller's top 10: the ranking of everything, minus what it may not read.
    auto mset = enquire.get_mset(0, db.get_doccount());
    const kpo::Principal caller = Caller(q);
    for (auto it = mset.begin(); it != mset.end() && run[q.id].size() < 10; ++it) {
      if (kpo::access::CanRead(caller, items[*it - 1]))
        run[q.id].push_back(it.get_document().get_data());
    }
  }
  return run;
}

std::map<std::string, Scores> Evaluate(const std::vector<Query>& queries, const Run& run) {
  std::map<std::string, Scores> by_kind;
  for (const auto& q : queries) {
    auto it = run.find(q.id);
    Scores s = Score(q, it == run.end() ? std::vector<std::string>() : it->second);
    by_kind[q.kind].Add(s);
    by_kind["all"].Add(s);
  }
  return by_kind;
}

// The relevance gate: each judged set's nDCG@10 against its committed baseline.
int CheckGates(const std::string& content, const std::string& lexicon,
               kpo::search::StemmerKind kind,
               const std::vector<std::pair<std::string, std::string>>& gates) {
  const KpoIndex index(content, lexicon, kind);
  int failed = 0;
  std::cout << std::fixed << std::setprecision(4);
  for (const auto& [judgments, baseline_file] : gates) {
    const auto queries = LoadJudgments(judgments);
    double baseline = -1;
    std::ifstream(baseline_file) >> baseline;
    if (queries.empty() || baseline < 0) {
      std::cerr << "kpo-eval: geen oordelen in " << judgments << " of geen baseline in "
                << baseline_file << "\n";
      return 2;
    }
    const Scores all = Evaluate(queries, index.Search(queries)).at("all");
    const double ndcg = all.ndcg / all.n;
    const bool ok = ndcg >= baseline - kAllowedDrop;
    if (!ok) ++failed;
    std::cout << (ok ? "OK   " : "FAIL ") << fs::path(judgments).filename().string() << ": nDCG@10 "
              << ndcg << ", baseline " << baseline << " (" << queries.size() << " queries)\n";
  }
  if (failed > 0) {
    std::cout << failed << " set(s) dropped more than " << kAllowedDrop
              << " below their baseline\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string content, judgments, lexicon = "/usr/share/dict/dutch", write_baseline, per_query,
                                  stemmer = "kpo";
  bool kpo_only = false;
  std::vector<std::pair<std::string, std::string>> runs, gates;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--kpo-only") {
      kpo_only = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::cerr << "kpo-eval: optie " << arg << " mist een waarde\n";
      return 2;
    }
    const std::string value = argv[++i];
    if (arg == "--content")
      content = value;
    else if (arg == "--judgments")
      judgments = value;
    else if (arg == "--lexicon")
      lexicon = value;
    else if (arg == "--write-baseline")
      write_baseline = value;
    else if (arg == "--per-query")
      per_query = value;
    else if (arg == "--stemmer")
      stemmer = value;
    else if ((arg == "--run" || arg == "--gate") && value.find('=') != std::string::npos) {
      (arg == "--run" ? runs : gates)
          .emplace_back(value.substr(0, value.find('=')), value.substr(value.find('=') + 1));
    } else {
      std::cerr << "kpo-eval: onbekende optie " << arg << "\n";
      return 2;
    }
  }
  if (content.empty() || judgments.empty() == gates.empty()) {
    std::cerr << "gebruik: kpo-eval --content MAP --judgments BESTAND [--run NAAM=BESTAND]...\n"
                 "        kpo-eval --content MAP --gate OORDELEN=BASELINE [--gate ...]\n";
    return 2;
  }
  auto kind = kpo::search::ParseStemmerKind(stemmer);
  if (!kind.ok()) {
    std::cerr << "kpo-eval: " << kind.status().ToString() << "\n";
    return 2;
  }
  if (!gates.empty()) return CheckGates(content, lexicon, *kind, gates);
  auto queries = LoadJudgments(judgments);
  std::vector<std::pair<std::string, std::map<std::string, Scores>>> results;
  Suggestions suggestions;
  const Run kpo_run = RunKpo(content, lexicon, *kind, queries, &suggestions);
  results.emplace_back("KPO", Evaluate(queries, kpo_run));
  if (!per_query.empty()) {
    // query id, nDCG@10, query, KPO's top 10: for finding what to improve.
    std::ofstream out(per_query);
    for (const auto& q : queries) {
      auto it = kpo_run.find(q.id);
      const auto ranked = it == kpo_run.end() ? std::vector<std::string>() : it->second;
      out << q.id << "\t" << Score(q, ranked).ndcg << "\t" << q.text << "\t";
      for (const auto& id : ranked) out << id << (q.grades.count(id) ? "*" : "") << " ";
      out << "\t" << suggestions[q.id] << "\n";
    }
  }
  if (!kpo_only) {
    results.emplace_back(
        "KPO, Snowball dutch",
        Evaluate(queries, RunKpo(content, lexicon, kpo::search::StemmerKind::kDutch, queries)));
    results.emplace_back(
        "KPO, kraaij_pohlmann",
        Evaluate(queries,
                 RunKpo(content, lexicon, kpo::search::StemmerKind::kKraaijPohlmann, queries)));
    results.emplace_back(
        "KPO, no compound splitting",
        Evaluate(queries, RunKpo(content, "", kpo::search::StemmerKind::kKpo, queries)));
    results.emplace_back("plain Xapian (dutch)",
                         Evaluate(queries, RunPlainXapian(content, queries)));
    for (const auto& [name, path] : runs)
      results.emplace_back(name, Evaluate(queries, LoadRun(path)));
  }
  std::set<std::string> kinds;
  for (const auto& q : queries) kinds.insert(q.kind);
  std::cout << "| system | nDCG@10 | MRR | recall@10 |";
  for (const auto& k : kinds) std::cout << " nDCG " << k << " |";
  std::cout << "\n|---|---|---|---|";
  for (size_t i = 0; i < kinds.size(); ++i) std::cout << "---|";
  std::cout << "\n" << std::fixed << std::setprecision(3);
  for (const auto& [name, by_kind] : results) {
    const Scores& a = by_kind.at("all");
    std::cout << "| " << name << " | " << a.ndcg / a.n << " | " << a.mrr / a.n << " | "
              << a.recall / a.n << " |";
    for (const auto& k : kinds) std::cout << " " << by_kind.at(k).ndcg / by_kind.at(k).n << " |";
    std::cout << "\n";
  }
  std::cout << "(" << queries.size() << " queries)\n";
  const Scores& kpo = results[0].second.at("all");
  const double ndcg = kpo.ndcg / kpo.n;
  if (!write_baseline.empty()) {
    std::ofstream(write_baseline) << std::fixed << std::setprecision(4) << ndcg << "\n";
  }
  return 0;
}
