// Implements glossary.h with yaml-cpp.
#include "content/glossary.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "common/file.h"

namespace kpo::content {

StatusOr<Glossary> Glossary::Parse(const std::string& yaml_text, const Fold& fold, const Key& key) {
  Glossary g;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (root.IsNull()) return g;
    if (!root.IsSequence()) {
      return Status::Error(ErrorCode::kInvalidContent,
                           "de woordenlijst moet een lijst van groepen zijn, zoals - [wwft, ...]");
    }
    for (const auto& group : root) {
      if (!group.IsSequence()) {
        return Status::Error(
            ErrorCode::kInvalidContent,
            "regel " + std::to_string(group.Mark().line + 1) +
                ": een groep moet een lijst zijn, zoals [apv, algemene plaatselijke verordening]");
      }
      std::vector<Term> terms;
      for (const auto& t : group) {
        Term words = fold(t.as<std::string>());
        if (!words.empty()) terms.push_back(std::move(words));
      }
      if (terms.size() < 2) continue;
      std::vector<Term> keys;
      for (const auto& t : terms) keys.push_back(key ? key(t) : t);
      g.keys_.push_back(std::move(keys));
      g.groups_.push_back(std::move(terms));
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(ErrorCode::kInvalidContent,
                         "regel " + std::to_string(e.mark.line + 1) + ": ongeldige YAML", e.what());
  }
  return g;
}

StatusOr<Glossary> Glossary::Load(const std::string& path, const Fold& fold, const Key& key) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto g = Parse(*text, fold, key);
  if (!g.ok()) return Status::Error(g.status().code(), path + ": " + g.status().message());
  return g;
}

size_t Glossary::Match(const std::vector<std::string>& words, size_t start,
                       std::vector<Term>* equivalents) const {
  size_t best = 0;
  equivalents->clear();
  for (size_t g = 0; g < groups_.size(); ++g) {
    const auto& group = groups_[g];
    for (size_t i = 0; i < group.size(); ++i) {
      const Term& term = keys_[g][i];
      if (term.size() < best || start + term.size() > words.size()) continue;
      bool match = true;
      for (size_t k = 0; k < term.size() && match; ++k) match = words[start + k] == term[k];
      if (!match) continue;
      if (term.size() > best) {
        best = term.size();
        equivalents->clear();
      }
      for (size_t j = 0; j < group.size(); ++j) {
        if (j != i) equivalents->push_back(group[j]);
      }
    }
  }
  return best;
}

bool Glossary::HasWord(const std::string& key) const {
  for (const auto& group : keys_) {
    for (const Term& term : group) {
      if (std::find(term.begin(), term.end(), key) != term.end()) return true;
    }
  }
  return false;
}

std::vector<Glossary::Term> Glossary::Phrases() const {
  std::vector<Term> out;
  for (const auto& group : groups_) {
    for (const auto& term : group) {
      if (term.size() >= 2) out.push_back(term);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace kpo::content
