// Status and Result<T>: how the engine reports errors internally, without exceptions.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

#include "caudal/error.h"

namespace caudal {

/// Success, or an error with a message naming what failed and where. In debug builds a
/// Status that is destroyed without having been looked at aborts, so no error is dropped.
class [[nodiscard]] Status {
 public:
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  Status(const Status& other) : ok_(other.ok_), message_(other.message_) { other.markChecked(); }
  Status(Status&& other) noexcept : ok_(other.ok_), message_(std::move(other.message_)) {
    other.markChecked();
  }
  Status& operator=(Status other) noexcept {
    verifyChecked();
    ok_ = other.ok_;
    message_ = std::move(other.message_);
    other.markChecked();
    return *this;
  }
  ~Status() { verifyChecked(); }

  bool isOk() const {
    markChecked();
    return ok_;
  }
  const std::string& message() const {
    markChecked();
    return message_;
  }
  /// Throws `caudal::Error` with the message if this is an error.
  void throwIfError() const {
    if (!isOk()) throw Error(message_);
  }
  /// Marks the status as looked at, for a caller that deliberately ignores it.
  void ignore() const { markChecked(); }

 private:
  Status() = default;
  explicit Status(std::string message) : ok_(false), message_(std::move(message)) {}

#ifdef NDEBUG
  void markChecked() const {}
  void verifyChecked() const {}
#else
  void markChecked() const { checked_ = true; }
  void verifyChecked() const {
    if (!checked_) std::abort();  // programmer error: a Status was dropped unchecked
  }
  mutable bool checked_ = false;
#endif

  bool ok_ = true;
  std::string message_;
};

/// A value or the Status saying why there is none.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit like std::expected
  Result(Status status) : value_(std::move(status)) {}  // NOLINT

  bool isOk() const { return std::holds_alternative<T>(value_) || std::get<Status>(value_).isOk(); }
  /// The value; only valid when `isOk()`.
  T& value() { return std::get<T>(value_); }
  const T& value() const { return std::get<T>(value_); }
  /// The error; only valid when not `isOk()`.
  const Status& status() const { return std::get<Status>(value_); }
  /// The value, or throws `caudal::Error` with the error's message.
  T valueOrThrow() && {
    if (auto* status = std::get_if<Status>(&value_)) status->throwIfError();
    return std::move(std::get<T>(value_));
  }

 private:
  std::variant<T, Status> value_;
};

}  // namespace caudal

/// Returns the status from the enclosing function when it is an error.
#define CAUDAL_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::caudal::Status caudal_status_ = (expr);   \
    if (!caudal_status_.isOk()) return caudal_status_; \
  } while (false)

#define CAUDAL_CONCAT_INNER_(a, b) a##b
#define CAUDAL_CONCAT_(a, b) CAUDAL_CONCAT_INNER_(a, b)

/// `CAUDAL_ASSIGN_OR_RETURN(auto x, f());` declares x with f()'s value, or returns its error.
#define CAUDAL_ASSIGN_OR_RETURN(declaration, expr) \
  CAUDAL_ASSIGN_OR_RETURN_IMPL_(CAUDAL_CONCAT_(caudal_result_, __LINE__), declaration, expr)
#define CAUDAL_ASSIGN_OR_RETURN_IMPL_(result, declaration, expr) \
  auto result = (expr);                                          \
  if (!result.isOk()) return result.status();                    \
  declaration = std::move(result.value())
