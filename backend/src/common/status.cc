// Implements status.h and the lookups of error_codes.h.
#include "kpo/status.h"

namespace kpo {

const char* WireName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
#define KPO_ERROR_WIRE(name, wire, type, http) \
  case ErrorCode::name:                        \
    return wire;
      KPO_ERROR_CODES(KPO_ERROR_WIRE)
#undef KPO_ERROR_WIRE
  }
  return "internal";
}

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
#define KPO_ERROR_HTTP(name, wire, type, http) \
  case ErrorCode::name:                        \
    return http;
      KPO_ERROR_CODES(KPO_ERROR_HTTP)
#undef KPO_ERROR_HTTP
  }
  return 500;
}

ErrorType TypeOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return ErrorType::kInvalidRequest;
#define KPO_ERROR_TYPE(name, wire, type, http) \
  case ErrorCode::name:                        \
    return ErrorType::type;
      KPO_ERROR_CODES(KPO_ERROR_TYPE)
#undef KPO_ERROR_TYPE
  }
  return ErrorType::kInternal;
}

const char* TypeName(ErrorType type) {
  switch (type) {
    case ErrorType::kInvalidRequest:
      return "invalid_request";
    case ErrorType::kAuth:
      return "auth";
    case ErrorType::kInternal:
      return "internal";
    case ErrorType::kSystem:
      return "system";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = std::string(WireName(code_)) + ": " + message_;
  if (!detail_.empty()) out += " (" + detail_ + ")";
  return out;
}

}  // namespace kpo
