// The controlled vocabulary (content/vocabulary.yaml): themes, regions,
// werkplaatsen and partner groups, each a key with a Dutch label.
// Owns: loading and lookups. Immutable after loading: thread-safe to share.
#pragma once

#include <map>
#include <string>

#include "kpo/status.h"

namespace kpo::content {

class Vocabulary {
 public:
  // Kinds, as in the file and in error messages.
  static constexpr const char* kThemes = "themes";
  static constexpr const char* kRegions = "regions";
  static constexpr const char* kWerkplaatsen = "werkplaatsen";
  static constexpr const char* kGroups = "groups";

  // Parses YAML text. Errors: kInvalidContent with "line N: reason".
  static StatusOr<Vocabulary> Parse(const std::string& yaml_text);
  // Reads and parses a file. Errors: kInvalidContent (unreadable or invalid).
  static StatusOr<Vocabulary> Load(const std::string& path);

  bool Has(const std::string& kind, const std::string& key) const;
  // The label, or the key itself when unknown.
  std::string Label(const std::string& kind, const std::string& key) const;
  // kind -> (key -> label)
  const std::map<std::string, std::map<std::string, std::string>>& all() const { return kinds_; }

 private:
  std::map<std::string, std::map<std::string, std::string>> kinds_;
};

}  // namespace kpo::content
