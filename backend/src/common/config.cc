// Implements config.h.
#include "common/config.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kpo {

namespace {

constexpr size_t kMaxFileBytes = size_t{1} << 20;

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

Status Bad(const std::string& where, const std::string& problem) {
  return Status::Error(ErrorCode::kInvalidParameter, where + ": " + problem);
}

}  // namespace

Config::Config(std::vector<ConfigKey> keys) : keys_(std::move(keys)) {
  for (const auto& key : keys_) values_[key.name] = {key.fallback, "standaard"};
}

Status Config::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Bad(path, std::string("het configuratiebestand is niet te lezen (") +
                         std::strerror(errno) + ")");
  }
  std::ostringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  if (text.size() > kMaxFileBytes) return Bad(path, "het configuratiebestand is groter dan 1 MiB");
  std::istringstream lines(text);
  std::string line;
  std::map<std::string, int> seen;
  for (int number = 1; std::getline(lines, line); ++number) {
    const std::string where = path + ":" + std::to_string(number);
    const std::string content = Trim(line.substr(0, line.find('#')));
    if (content.empty()) continue;
    const size_t eq = content.find('=');
    if (eq == std::string::npos) {
      return Bad(where, "regel zonder '=' (verwacht: sleutel = waarde)");
    }
    const std::string name = Trim(content.substr(0, eq));
    if (values_.count(name) == 0) {
      std::string known;
      for (const auto& key : keys_) known += (known.empty() ? "" : ", ") + key.name;
      return Bad(where, "onbekende sleutel '" + name + "' (bekend: " + known + ")");
    }
    if (auto [it, fresh] = seen.emplace(name, number); !fresh) {
      return Bad(where,
                 "sleutel '" + name + "' staat er al op regel " + std::to_string(it->second));
    }
    values_[name] = {Trim(content.substr(eq + 1)), where};
  }
  return Status::Ok();
}

void Config::LoadEnvironment() {
  for (const auto& key : keys_) {
    if (key.env.empty()) continue;
    const char* value = std::getenv(key.env.c_str());
    if (value != nullptr && *value != '\0') values_[key.name] = {value, key.env};
  }
}

void Config::SetFromFlag(const std::string& flag, const std::string& value) {
  if (auto name = KeyOfFlag(flag)) values_[*name] = {value, flag};
}

const ConfigValue& Config::Get(const std::string& name) const { return values_.at(name); }

std::optional<std::string> Config::KeyOfFlag(const std::string& flag) const {
  for (const auto& key : keys_) {
    if (!key.flag.empty() && key.flag == flag) return key.name;
  }
  return std::nullopt;
}

std::string Config::Problem(const std::string& name, const std::string& problem) const {
  return "sleutel '" + name + "' (" + Get(name).origin + "): " + problem;
}

std::optional<long long> ParseBoundedNumber(const std::string& text, long long min, long long max) {
  if (text.empty() || text.size() > 12 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const long long value = std::stoll(text);
  if (value < min || value > max) return std::nullopt;
  return value;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = Trim(text.substr(start, comma - start));
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

}  // namespace kpo
