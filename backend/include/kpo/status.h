// kpo::Status and kpo::StatusOr<T>: the one error type of KPO. A Status is OK or
// carries an ErrorCode from error_codes.h, a Dutch message fit for the person
// who caused it, and an optional internal detail that is logged, never shown.
// Exceptions from libraries are caught in the adapter that owns the library and
// never cross a module boundary; Status does.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "kpo/error_codes.h"

namespace kpo {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  // `message` is Dutch and says what to do; `detail` is for the log only.
  static Status Error(ErrorCode code, std::string message, std::string detail = {}) {
    Status s;
    s.code_ = code;
    s.message_ = std::move(message);
    s.detail_ = std::move(detail);
    return s;
  }
  // An internal failure: a fixed Dutch message, the cause kept for the log.
  static Status Internal(std::string detail) {
    return Error(ErrorCode::kInternal, "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
                 std::move(detail));
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& detail() const { return detail_; }
  bool Is(ErrorCode code) const { return code_ == code; }
  // "code: message (detail)", for logs and tools.
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string detail_;
};

template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // Precondition: ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace kpo

#define KPO_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::kpo::Status kpo_status_ = (expr);        \
    if (!kpo_status_.ok()) return kpo_status_; \
  } while (0)
