// kpo-index: imports content/ into the store and the search index.
//   kpo-index --content DIR --data DIR [--rebuild] [--stemmer kpo|dutch|kraaij_pohlmann|none]
// Imports into SQLite; updates the index itself only when no kpo-server
// runs on DIR (the server is then the writer and applies the changes).
// Exit codes: 0 all files imported, 1 some files had errors (the rest was
// imported), 2 usage error or nothing could be done.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "common/file.h"

#include "indexer/indexer.h"

int main(int argc, char** argv) {
  kpo::indexer::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "kpo-index: " << arg << " vraagt een waarde\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--content") {
      options.content_dir = value();
    } else if (arg == "--data") {
      options.data_dir = value();
    } else if (arg == "--rebuild") {
      options.rebuild = true;
    } else if (arg == "--lexicon") {
      options.lexicon_path = value();
    } else if (arg == "--stemmer") {
      auto kind = kpo::search::ParseStemmerKind(value());
      if (!kind.ok()) {
        std::cerr << "kpo-index: " << kind.status().message() << "\n";
        return 2;
      }
      options.stemmer = *kind;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << "gebruik: kpo-index --content MAP --data MAP [--rebuild] [--stemmer kpo]\n";
      return 0;
    } else {
      std::cerr << "kpo-index: onbekende optie " << arg << "\n";
      return 2;
    }
  }
  if (options.content_dir.empty() || options.data_dir.empty()) {
    std::cerr << "gebruik: kpo-index --content MAP --data MAP\n";
    return 2;
  }
  const bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) {
    options.progress = [](size_t done, size_t total, const std::string& path) {
      std::fprintf(stderr, "\r\033[K[%zu/%zu] %s", done, total, path.c_str());
      if (done == total) std::fprintf(stderr, "\r\033[K");
    };
  }
  // An existing data directory must be writable: say which file and why
  // (a read-only mount, a file in the way) before SQLite can only report
  // "unable to open database file" (issue 13, tests/fault).
  std::error_code ec;
  if (std::filesystem::exists(options.data_dir, ec)) {
    for (const kpo::Status& s : {kpo::CheckWritableDir(options.data_dir),
                                 kpo::CheckWritableFile(options.data_dir + "/kpo.sqlite")}) {
      if (!s.ok()) {
        std::cerr << "kpo-index: " << kpo::OperatorText(s) << "\n";
        return 2;
      }
    }
  }
  auto summary = kpo::indexer::Run(options);
  if (!summary.ok()) {
    std::cerr << "kpo-index: " << summary.status().message() << "\n";
    if (!summary.status().detail().empty())
      std::cerr << "  (" << summary.status().detail() << ")\n";
    return 2;
  }
  for (const auto& e : summary->errors) std::cerr << e << "\n";
  for (const auto& s : summary->skipped) std::cerr << "overgeslagen: " << s << "\n";
  if (!summary->rebuilt.empty()) {
    std::printf("kpo-index: zoekindex opnieuw opgebouwd uit de database: %s\n",
                summary->rebuilt.c_str());
  }
  if (summary->left_to_server > 0 || summary->rebuild_left_to_server) {
    std::printf("kpo-index: kpo-server werkt de zoekindex bij (%lld wijzigingen%s)\n",
                static_cast<long long>(summary->left_to_server),
                summary->rebuild_left_to_server ? ", herbouw gevraagd" : "");
  }
  std::printf(
      "kpo-index: %zu bestanden: %zu nieuw, %zu gewijzigd, %zu ongewijzigd, %zu verwijderd, "
      "%zu met fouten, %zu overgeslagen; %zu items in de index bijgewerkt in %.2f s\n",
      summary->files, summary->added, summary->changed, summary->unchanged, summary->removed,
      summary->errors.size(), summary->skipped.size(), summary->indexed, summary->seconds);
  return summary->errors.empty() ? 0 : 1;
}
