// Implements status.h and the lookups of error_codes.h: one row per code,
// indexed by the enum, built from the same X-macro list.
#include "kpo/status.h"

namespace kpo {

namespace {

struct Row {
  const char* wire;
  ErrorType type;
  int http;
};

constexpr Row kRows[] = {{"ok", ErrorType::kInvalidRequest, 200},
#define KPO_ERROR_ROW(name, wire, type, http) {wire, ErrorType::type, http},
                         KPO_ERROR_CODES(KPO_ERROR_ROW)
#undef KPO_ERROR_ROW
};

const Row& RowOf(ErrorCode code) { return kRows[static_cast<size_t>(code)]; }

}  // namespace

const char* WireName(ErrorCode code) { return RowOf(code).wire; }
int HttpStatus(ErrorCode code) { return RowOf(code).http; }
ErrorType TypeOf(ErrorCode code) { return RowOf(code).type; }

const char* TypeName(ErrorType type) {
  static constexpr const char* kNames[] = {"invalid_request", "auth", "internal", "system"};
  return kNames[static_cast<size_t>(type)];
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = std::string(WireName(code_)) + ": " + message_;
  if (!detail_.empty()) out += " (" + detail_ + ")";
  return out;
}

}  // namespace kpo
