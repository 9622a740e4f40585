// Implements item_file.h with yaml-cpp.
#include "content/item_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

#include "content/validate.h"

namespace kpo::content {

namespace {

constexpr size_t kMaxFileBytes = 2 << 20;

int LineOf(const std::string& text, size_t offset) {
  return 1 + static_cast<int>(std::count(text.begin(),
                                         text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string FileStem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.size() > 3 && name.compare(name.size() - 3, 3, ".md") == 0) {
    name.resize(name.size() - 3);
  }
  return name;
}

// Splits "---\n<yaml>\n---\n<body>". Returns false when there is no front matter.
bool SplitFrontMatter(const std::string& text, std::string* yaml, std::string* body,
                      int* body_line) {
  size_t start = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;  // UTF-8 BOM
  auto line_end = [&](size_t pos) {
    size_t nl = text.find('\n', pos);
    return nl == std::string::npos ? text.size() : nl;
  };
  auto is_fence = [&](size_t pos, size_t end) {
    std::string line = text.substr(pos, end - pos);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line == "---";
  };
  size_t first_end = line_end(start);
  if (!is_fence(start, first_end)) return false;
  size_t pos = first_end + 1;
  while (pos <= text.size()) {
    size_t end = line_end(pos);
    if (pos < text.size() && is_fence(pos, end)) {
      *yaml = text.substr(first_end + 1, pos - first_end - 1);
      *body = end >= text.size() ? "" : text.substr(end + 1);
      *body_line = LineOf(text, std::min(end + 1, text.size()));
      return true;
    }
    if (end >= text.size()) break;
    pos = end + 1;
  }
  return false;
}

}  // namespace

ParsedFile ParseItemFile(const std::string& relative_path, const std::string& bytes,
                         const Vocabulary& vocabulary) {
  ParsedFile out;
  if (bytes.size() > kMaxFileBytes) {
    out.errors.push_back({1, "bestand is te groot (maximaal 2 MB)"});
    return out;
  }
  size_t bad = FirstInvalidUtf8(bytes);
  if (bad != std::string::npos) {
    out.errors.push_back(
        {LineOf(bytes, bad), "ongeldige UTF-8-tekst (sla het bestand op als UTF-8)"});
    return out;
  }
  std::string yaml_text, body;
  int body_line = 1;
  if (!SplitFrontMatter(bytes, &yaml_text, &body, &body_line)) {
    out.errors.push_back(
        {1,
         "front matter ontbreekt: het bestand moet beginnen met een regel '---' en de "
         "metadata moet worden afgesloten met '---'"});
    return out;
  }
  constexpr int kYamlFirstLine = 2;  // line 1 is the opening '---'

  Item item;
  item.id = FileStem(relative_path);
  item.source_path = relative_path;
  item.body_markdown = body;
  std::map<std::string, int> field_line;
  try {
    YAML::Node root = YAML::Load(yaml_text);
    if (!root.IsMap()) {
      out.errors.push_back({kYamlFirstLine, "front matter moet bestaan uit velden 'naam: waarde'"});
      return out;
    }
    auto scalar = [&](const YAML::Node& node, const std::string& key, std::string* target) {
      if (!node.IsScalar()) {
        out.errors.push_back({kYamlFirstLine + node.Mark().line, key + " moet één waarde zijn"});
        return;
      }
      *target = node.as<std::string>();
    };
    auto list = [&](const YAML::Node& node, const std::string& key,
                    std::vector<std::string>* target) {
      if (node.IsScalar()) {
        target->push_back(node.as<std::string>());
      } else if (node.IsSequence()) {
        for (const auto& v : node) {
          if (!v.IsScalar()) {
            out.errors.push_back(
                {kYamlFirstLine + v.Mark().line, key + " mag alleen losse waarden bevatten"});
            continue;
          }
          target->push_back(v.as<std::string>());
        }
      } else if (!node.IsNull()) {
        out.errors.push_back(
            {kYamlFirstLine + node.Mark().line, key + " moet een lijst zijn, zoals [a, b]"});
      }
    };
    for (const auto& entry : root) {
      std::string key = entry.first.as<std::string>();
      const YAML::Node& value = entry.second;
      field_line[key] = kYamlFirstLine + entry.first.Mark().line;
      if (key == "id")
        scalar(value, key, &item.id);
      else if (key == "title")
        scalar(value, key, &item.title);
      else if (key == "type")
        scalar(value, key, &item.type);
      else if (key == "summary")
        scalar(value, key, &item.summary);
      else if (key == "werkplaats")
        scalar(value, key, &item.werkplaats);
      else if (key == "access")
        scalar(value, key, &item.access);
      else if (key == "published")
        scalar(value, key, &item.published);
      else if (key == "status")
        scalar(value, key, &item.status);
      else if (key == "themes")
        list(value, key, &item.themes);
      else if (key == "regions")
        list(value, key, &item.regions);
      else if (key == "groups")
        list(value, key, &item.groups);
      else if (key == "tags")
        list(value, key, &item.tags);
      else
        out.errors.push_back({field_line[key], "onbekend veld '" + key + "'"});
    }
  } catch (const YAML::Exception& e) {
    out.errors.push_back(
        {kYamlFirstLine + std::max(0, e.mark.line), "ongeldige YAML in de front matter: " + e.msg});
    return out;
  }
  for (auto& e : ValidateItem(item, vocabulary)) {
    auto it = field_line.find(e.field);
    int line = it != field_line.end() ? it->second : (e.field == "body" ? body_line : 1);
    out.errors.push_back({line, e.message});
  }
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const LineError& a, const LineError& b) { return a.line < b.line; });
  if (out.errors.empty()) out.item = std::move(item);
  return out;
}

}  // namespace kpo::content
