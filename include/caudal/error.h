// The exceptions Caudal throws at its public API.
#pragma once

#include <exception>
#include <stdexcept>
#include <string>

#include "caudal/duration.h"

namespace caudal {

/// Misuse of the API (a bad duration, a missing directory, calls in the wrong order) or a
/// failure the user must act on. The message names the problem and where it happened.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A batch failed: a user function threw, or a source or sink failed while running it.
/// Thrown by `StreamingContext::awaitTermination()` and `runBatches()`; the context has stopped.
class BatchFailedError : public Error {
 public:
  /// `cause` is the exception that failed the batch (may be null).
  BatchFailedError(Time batch_time, const std::string& reason, std::exception_ptr cause)
      : Error("batch at " + batch_time.toString() + " failed: " + reason),
        batch_time_(batch_time),
        cause_(std::move(cause)) {}

  /// The time of the batch that failed.
  Time batchTime() const { return batch_time_; }
  /// The original exception, for `std::rethrow_exception` (null if there was none).
  std::exception_ptr cause() const { return cause_; }

 private:
  Time batch_time_;
  std::exception_ptr cause_;
};

}  // namespace caudal
