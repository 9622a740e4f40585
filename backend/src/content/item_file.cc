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

bool IsCourseKey(const std::string& key) {
  for (const char* k :
       {"provider", "format", "level", "duration", "cost", "language", "points", "sessions"}) {
    if (key == k) return true;
  }
  return false;
}

// Reads one academy field of a course file into `course`. Values are
// checked by ValidateItem; here only their shape (scalar, number, list of
// maps). Session i's line is kept as field "sessions.<i>" so validation
// messages point at the session.
void ParseCourseField(const std::string& key, const YAML::Node& value,
                      std::map<std::string, int>& field_line, CourseFacts* course,
                      std::vector<LineError>* errors) {
  constexpr int kYamlFirstLine = 2;
  const int line = field_line[key];
  if (key == "sessions") {
    if (value.IsNull()) return;
    if (!value.IsSequence()) {
      errors->push_back({line, "sessions moet een lijst van sessies zijn (- id: ..., start: ...)"});
      return;
    }
    for (const auto& entry : value) {
      const int entry_line = kYamlFirstLine + entry.Mark().line;
      if (!entry.IsMap()) {
        errors->push_back({entry_line, "een sessie moet velden hebben (id, start, end, ...)"});
        continue;
      }
      SessionSpec session;
      field_line["sessions." + std::to_string(course->sessions.size())] = entry_line;
      for (const auto& f : entry) {
        const std::string name = f.first.as<std::string>();
        const int f_line = kYamlFirstLine + f.first.Mark().line;
        if (!f.second.IsScalar()) {
          errors->push_back({f_line, "sessie-veld " + name + " moet één waarde zijn"});
          continue;
        }
        const std::string v = f.second.as<std::string>();
        if (name == "id") {
          session.id = v;
        } else if (name == "start") {
          session.start = v;
        } else if (name == "end") {
          session.end = v;
        } else if (name == "location") {
          session.location = v;
        } else if (name == "deadline") {
          session.deadline = v;
        } else if (name == "capacity") {
          if (!ParseAmount(v, false, &session.capacity)) {
            errors->push_back({f_line, "capacity moet een geheel getal zijn"});
          }
        } else {
          errors->push_back({f_line, "onbekend sessie-veld '" + name +
                                         "' (id, start, end, location, capacity, deadline)"});
        }
      }
      course->sessions.push_back(std::move(session));
    }
    return;
  }
  if (!value.IsScalar()) {
    errors->push_back({line, key + " moet één waarde zijn"});
    return;
  }
  const std::string v = value.as<std::string>();
  if (key == "provider") {
    course->provider = v;
  } else if (key == "format") {
    course->format = v;
  } else if (key == "level") {
    course->level = v;
  } else if (key == "duration") {
    course->duration = v;
  } else if (key == "language") {
    course->language = v;
  } else if (key == "cost") {
    if (!ParseAmount(v, true, &course->cost_cents)) {
      errors->push_back({line, "cost moet een bedrag in euro's zijn, zoals 0, 250 of 12.50"});
    }
  } else if (key == "points" && !ParseAmount(v, false, &course->points)) {
    errors->push_back({line, "points moet een geheel getal zijn"});
  }
}

}  // namespace

bool ParseAmount(const std::string& text, bool cents, long long* out) {
  size_t dot = cents ? text.find('.') : std::string::npos;
  std::string whole = text.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "00" : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || fraction.size() != 2 ||
      (whole + fraction).find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  *out = std::stoll(whole) * (cents ? 100 : 1) + (cents ? std::stoll(fraction) : 0);
  return true;
}

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
  auto course = [&]() -> CourseFacts& {
    if (!item.course) item.course.emplace();
    return *item.course;
  };
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
      else if (IsCourseKey(key))
        ParseCourseField(key, value, field_line, &course(), &out.errors);
      else
        out.errors.push_back({field_line[key], "onbekend veld '" + key + "'"});
    }
  } catch (const YAML::Exception& e) {
    out.errors.push_back(
        {kYamlFirstLine + std::max(0, e.mark.line), "ongeldige YAML in de front matter: " + e.msg});
    return out;
  }
  // Every course has academy data, so the academy lists it even when its
  // file declares no sessions yet.
  if (item.type == "cursus") course();
  for (auto& e : ValidateItem(item, vocabulary)) {
    auto it = field_line.find(e.field);
    // A session's field ("sessions.0.end") is named at its session's line.
    if (it == field_line.end() && e.field.rfind("sessions.", 0) == 0) {
      it = field_line.find(e.field.substr(0, e.field.rfind('.')));
    }
    int line = it != field_line.end() ? it->second : (e.field == "body" ? body_line : 1);
    out.errors.push_back({line, e.message});
  }
  std::stable_sort(out.errors.begin(), out.errors.end(),
                   [](const LineError& a, const LineError& b) { return a.line < b.line; });
  if (out.errors.empty()) out.item = std::move(item);
  return out;
}

}  // namespace kpo::content
