// Implements page_forms.h.
#include "portal/page_forms.h"

#include <algorithm>

namespace kpo::portal {

std::string GroupLabels(const content::Vocabulary& vocabulary,
                        const std::vector<std::string>& groups) {
  std::string labels;
  for (const auto& g : groups) {
    labels += (labels.empty() ? "" : ", ") + vocabulary.Label(content::Vocabulary::kGroups, g);
  }
  return labels;
}

std::string Audience(const content::Vocabulary& vocabulary, const std::string& access,
                     const std::vector<std::string>& groups) {
  if (access == "members") return "Alleen voor leden";
  if (access != "restricted") return "";
  return "Alleen voor: " + GroupLabels(vocabulary, groups);
}

void SetText(View* view, const std::string& name, const std::string& value) {
  if (value.empty()) {
    view->set(name, false);
  } else {
    view->set(name, value);
  }
}

std::vector<std::pair<std::string, std::string>> VocabularyEntries(
    const content::Vocabulary& vocabulary, const char* kind) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (auto it = vocabulary.all().find(kind); it != vocabulary.all().end()) {
    for (const auto& [key, label] : it->second) entries.emplace_back(label, key);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

View Checkboxes(const content::Vocabulary& vocabulary, const char* kind, const std::string& field,
                const std::vector<std::string>& checked) {
  View out = ListView();
  for (const auto& [label, key] : VocabularyEntries(vocabulary, kind)) {
    View o;
    o.set("label", label);
    o.set("name", field + ":" + key);
    o.set("dom_id", "c-" + field + "-" + key);
    o.set("checked", std::find(checked.begin(), checked.end(), key) != checked.end());
    out.push_back(o);
  }
  return out;
}

}  // namespace kpo::portal
