// The glossary as search reads it: content::Glossary with its terms folded
// by search's own tokenizer, so a glossary term matches the words of queries
// and documents exactly. Owns nothing else; content/ parses the YAML.
// Thread-safety: free functions; GlossaryKeys stems with a thread_local analyzer.
#pragma once

#include <string>

#include "content/glossary.h"
#include "kpo/status.h"

namespace kpo::search {

// The folded words of one glossary term (search::Tokenize).
content::Glossary::Term GlossaryWords(const std::string& term);
// The keys glossary terms are matched by: the stems of folded words
// (StemmerKind::kKpo, whatever the index uses), so a plural or an inflection
// finds the term ("motorbendes" -> "motorbende"). Query words are made keys
// the same way before content::Glossary::Match.
content::Glossary::Term GlossaryKeys(const content::Glossary::Term& folded_words);
// content::Glossary::Parse / Load with GlossaryWords and GlossaryKeys.
// Errors: kInvalidContent.
StatusOr<content::Glossary> ParseGlossary(const std::string& yaml_text);
StatusOr<content::Glossary> LoadGlossary(const std::string& path);

}  // namespace kpo::search
