// The one logging facility: JSON lines on stderr, one event per line.
// Owns: log format and level. Thread-safe (one write per line).
// Never log passwords, tokens, session ids or item bodies.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace kpo {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Events below this level are dropped. Default: kInfo.
void SetLogLevel(LogLevel level);
// Writes {"ts", "level", "event", ...fields} to stderr.
void Log(LogLevel level, std::string_view event, const nlohmann::json& fields = {});

}  // namespace kpo
