// Implements glossary_terms.h.
#include "search/glossary_terms.h"

#include "search/analyzer.h"

namespace kpo::search {

content::Glossary::Term GlossaryWords(const std::string& term) {
  content::Glossary::Term words;
  for (auto& token : Tokenize(term)) words.push_back(std::move(token.text));
  return words;
}

content::Glossary::Term GlossaryKeys(const content::Glossary::Term& folded_words) {
  // Stemming needs no lexicon; an Analyzer is not thread-safe.
  thread_local Analyzer analyzer(nullptr, StemmerKind::kKpo);
  content::Glossary::Term keys;
  keys.reserve(folded_words.size());
  for (const auto& w : folded_words) keys.push_back(analyzer.Stem(w));
  return keys;
}

StatusOr<content::Glossary> ParseGlossary(const std::string& yaml_text) {
  return content::Glossary::Parse(yaml_text, &GlossaryWords, &GlossaryKeys);
}

StatusOr<content::Glossary> LoadGlossary(const std::string& path) {
  return content::Glossary::Load(path, &GlossaryWords, &GlossaryKeys);
}

}  // namespace kpo::search
