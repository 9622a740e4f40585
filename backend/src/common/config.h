// Configuration from one file plus overrides: `key = value` lines (a `#`
// starts a comment), then KPO_* environment variables, then command-line
// flags; the last one wins. Each value remembers where it came from
// ("kpo.conf:12", "KPO_PORT", "--port"), so a validation message names the
// key and the place an operator must fix. Owns: reading and layering; what
// the keys mean and how they are checked belongs to the program.
// Thread-safety: a Config is a plain value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kpo/status.h"

namespace kpo {

// One key a program accepts: its name in the file, its environment variable
// (or "" for none), its flag (or "") and its default.
struct ConfigKey {
  std::string name;
  std::string env;
  std::string flag;
  std::string fallback;
};

struct ConfigValue {
  std::string value;
  std::string origin;  // "default", "FILE:LINE", an environment variable or a flag
};

class Config {
 public:
  explicit Config(std::vector<ConfigKey> keys);

  // Reads `path`. Errors: kInvalidParameter with a Dutch message naming
  // FILE:LINE (unknown key, a line without '=', a key given twice, a file
  // over 1 MiB) or the file and the system error when it cannot be read.
  Status LoadFile(const std::string& path);
  // Takes the environment variables of every key that has one and is set
  // (non-empty).
  void LoadEnvironment();
  // Sets `name` from flag `flag` (as the program parsed it).
  void SetFromFlag(const std::string& flag, const std::string& value);

  // The value of a known key (its default when nothing set it).
  const ConfigValue& Get(const std::string& name) const;
  // The key whose flag is `flag`, or nullopt.
  std::optional<std::string> KeyOfFlag(const std::string& flag) const;
  // "sleutel 'port' (kpo.conf:3): <problem>", for a validation error.
  std::string Problem(const std::string& name, const std::string& problem) const;
  const std::vector<ConfigKey>& keys() const { return keys_; }

 private:
  std::vector<ConfigKey> keys_;
  std::map<std::string, ConfigValue> values_;
};

// Strict parsers for configuration values: digits only, within [min, max].
std::optional<long long> ParseBoundedNumber(const std::string& text, long long min, long long max);
// "a, b,c" -> {"a", "b", "c"}; empty items dropped.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace kpo
