// Implements vocabulary.h with yaml-cpp.
#include "content/vocabulary.h"

#include <yaml-cpp/yaml.h>

#include "common/file.h"
#include "content/validate.h"

namespace kpo::content {

StatusOr<Vocabulary> Vocabulary::Parse(const std::string& yaml_text) {
  Vocabulary v;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root.IsMap()) {
      return Status::Error(
          ErrorCode::kInvalidContent,
          "het vocabulaire moet een lijst van soorten zijn (themes, regions, ...)");
    }
    for (const char* kind : {kThemes, kRegions, kWerkplaatsen, kGroups}) {
      YAML::Node node = root[kind];
      if (!node || !node.IsMap()) {
        return Status::Error(ErrorCode::kInvalidContent,
                             std::string("het vocabulaire mist de soort '") + kind + "'");
      }
      for (const auto& entry : node) {
        std::string key = entry.first.as<std::string>();
        if (!IsValidKey(key)) {
          return Status::Error(ErrorCode::kInvalidContent,
                               "regel " + std::to_string(entry.first.Mark().line + 1) +
                                   ": ongeldige sleutel '" + key + "' (alleen a-z, 0-9 en -)");
        }
        v.kinds_[kind][key] = entry.second.as<std::string>();
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::Error(ErrorCode::kInvalidContent,
                         "regel " + std::to_string(e.mark.line + 1) + ": ongeldige YAML", e.what());
  }
  return v;
}

StatusOr<Vocabulary> Vocabulary::Load(const std::string& path) {
  auto text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  auto v = Parse(*text);
  if (!v.ok()) {
    return Status::Error(v.status().code(), path + ": " + v.status().message(),
                         v.status().detail());
  }
  return v;
}

bool Vocabulary::Has(const std::string& kind, const std::string& key) const {
  auto it = kinds_.find(kind);
  return it != kinds_.end() && it->second.count(key) > 0;
}

std::string Vocabulary::Label(const std::string& kind, const std::string& key) const {
  auto it = kinds_.find(kind);
  if (it == kinds_.end()) return key;
  auto k = it->second.find(key);
  return k == it->second.end() ? key : k->second;
}

}  // namespace kpo::content
