// The glossary as search reads it: content::Glossary with its terms folded
// by search's own tokenizer, so a glossary term matches the words of queries
// and documents exactly. Owns nothing else; content/ parses the YAML.
// Thread-safety: free functions, no state.
#pragma once

#include <string>

#include "content/glossary.h"
#include "kpo/status.h"

namespace kpo::search {

// The folded words of one glossary term (search::Tokenize).
content::Glossary::Term GlossaryWords(const std::string& term);
// content::Glossary::Parse / Load with GlossaryWords. Errors: kInvalidContent.
StatusOr<content::Glossary> ParseGlossary(const std::string& yaml_text);
StatusOr<content::Glossary> LoadGlossary(const std::string& path);

}  // namespace kpo::search
