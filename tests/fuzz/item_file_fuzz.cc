// libFuzzer target: the content file parser (front matter + Markdown body),
// then validation of what it accepted. Any input must give an item or
// line-numbered errors, never a crash (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "content/item_file.h"
#include "content/validate.h"
#include "content/vocabulary.h"

namespace {

const kpo::content::Vocabulary& RealVocabulary() {
  static const kpo::content::Vocabulary vocabulary = [] {
    auto v = kpo::content::Vocabulary::Load(KPO_SOURCE_DIR "/content/vocabulary.yaml");
    if (!v.ok()) std::abort();
    return *v;
  }();
  return vocabulary;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const auto& vocabulary = RealVocabulary();
  auto parsed = kpo::content::ParseItemFile("handreikingen/fuzz.md", bytes, vocabulary);
  if (parsed.item.has_value() != parsed.errors.empty()) std::abort();
  for (const auto& error : parsed.errors) {
    if (error.line < 1 || error.message.empty()) std::abort();
  }
  if (parsed.item) kpo::content::ValidateItem(*parsed.item, vocabulary);
  // The vocabulary parser reads operator-written YAML too.
  (void)kpo::content::Vocabulary::Parse(bytes);
  return 0;
}
