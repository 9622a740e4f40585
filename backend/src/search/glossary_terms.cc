// Implements glossary_terms.h.
#include "search/glossary_terms.h"

#include "search/analyzer.h"

namespace kpo::search {

content::Glossary::Term GlossaryWords(const std::string& term) {
  content::Glossary::Term words;
  for (auto& token : Tokenize(term)) words.push_back(std::move(token.text));
  return words;
}

StatusOr<content::Glossary> ParseGlossary(const std::string& yaml_text) {
  return content::Glossary::Parse(yaml_text, &GlossaryWords);
}

StatusOr<content::Glossary> LoadGlossary(const std::string& path) {
  return content::Glossary::Load(path, &GlossaryWords);
}

}  // namespace kpo::search
