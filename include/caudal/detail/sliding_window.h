// Sliding-window aggregation without an inverse function: per-pane partial aggregates combined
// with the two-stacks algorithm, so each slide costs O(1) amortized combine calls per key,
// whatever the window's length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <numeric>
#include <optional>
#include <utility>
#include <vector>

#include "caudal/duration.h"
#include "caudal/error.h"
#include "caudal/serde.h"

namespace caudal::detail {

/// Where a window operation's batches fall: panes of `gcd(window, slide)` counted from the zero
/// time, so that every window, (t - window, t] at a multiple t of the slide, is a whole number
/// of panes. Pane `i` holds the batches in (zero + (i-1)·pane, zero + i·pane].
class PaneClock {
 public:
  PaneClock(Duration window, Duration slide)
      : pane_(Duration(std::gcd(window.milliseconds(), slide.milliseconds()))),
        panes_per_window_(window / pane_),
        panes_per_slide_(slide / pane_) {}

  /// Counts panes from `zero` (the stream's zero time).
  void setZeroTime(Time zero) { zero_ = zero; }
  /// The length of a pane: gcd(window, slide).
  Duration paneDuration() const { return pane_; }
  /// How many panes a window spans.
  int64_t panesPerWindow() const { return panes_per_window_; }
  /// How many panes a slide spans.
  int64_t panesPerSlide() const { return panes_per_slide_; }

  /// The pane holding the batch at `time`.
  int64_t paneOf(Time time) const {
    int64_t offset = (time - zero_).milliseconds();
    return (offset + pane_.milliseconds() - 1) / pane_.milliseconds();
  }
  /// True when the batch at `time` is the last of its pane.
  bool closesPane(Time time) const { return (time - zero_).isMultipleOf(pane_); }
  /// The first pane of the window ending with pane `last`.
  int64_t firstPaneOfWindow(int64_t last) const { return last - panes_per_window_ + 1; }

 private:
  Duration pane_;
  int64_t panes_per_window_;
  int64_t panes_per_slide_;
  Time zero_;
};

/// The panes of one key inside a window, aggregated with the "two-stacks lite" algorithm: the
/// values sit in a ring buffer in pane order; the oldest `front_` of them hold suffix aggregates
/// (each slot the combination of itself and every newer front slot), the rest hold raw pane
/// values whose running combination is `back_`. Evicting pops the front, first turning the
/// whole ring into suffix aggregates (one pass) when the front is empty; the window's value is
/// `front[0] ⊕ back`. Every value is combined O(1) times over its life, and combination order is
/// pane order, so `combine` need only be associative. Pane numbers are kept as 32 bits relative
/// to one another (windows of fewer than 2^31 panes).
template <class V>
class PaneWindow {
 public:
  /// True when no pane is held.
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }

  /// Appends the value of pane `pane` (newer than every pane held).
  template <class Combine>
  void push(int64_t pane, V value, const Combine& combine) {
    if (size_ == capacity()) grow();
    size_t slot = physical(size_);
    panes_[slot] = static_cast<uint32_t>(pane);
    if (back_) {
      back_ = combine(std::move(*back_), V(value));
    } else {
      back_ = value;
    }
    values_[slot] = std::move(value);
    ++size_;
  }

  /// Drops the panes older than `first_kept`.
  template <class Combine>
  void evictBefore(int64_t first_kept, const Combine& combine) {
    uint32_t first = static_cast<uint32_t>(first_kept);
    while (size_ > 0 && static_cast<int32_t>(panes_[head_] - first) < 0) {
      if (front_ == 0) flip(combine);
      values_[head_] = V();
      head_ = (head_ + 1) & (capacity() - 1);
      --size_;
      --front_;
    }
    if (size_ == 0) {
      back_.reset();
      front_ = 0;
    }
  }

  /// The combination of every pane held, oldest first (the window must not be empty).
  template <class Combine>
  V aggregate(const Combine& combine) const {
    if (front_ == 0) return *back_;
    const V& front = values_[head_];
    return back_ ? combine(V(front), V(*back_)) : front;
  }

  /// Appends the window exactly as it is, aggregates included, so that `read` rebuilds it
  /// without calling the reduce function: the panes and values oldest first, how many of them
  /// are the front stack's suffix aggregates, and the back stack's aggregate.
  void write(ByteWriter& out) const {
    out.writeVarint(size_);
    for (size_t i = 0; i < size_; ++i) {
      out.write(panes_[physical(i)]);
      out.write(values_[physical(i)]);
    }
    out.writeVarint(front_);
    out.write(back_);
  }

  /// A window `write` wrote. Throws `caudal::Error`, naming the offset, for other bytes.
  static PaneWindow read(ByteReader& in) {
    PaneWindow window;
    size_t size = in.readLength(2, "the panes of a window");
    size_t capacity = 2;
    while (capacity < size) capacity *= 2;
    window.panes_.resize(capacity);
    window.values_.resize(capacity);
    for (size_t i = 0; i < size; ++i) {
      window.panes_[i] = in.read<uint32_t>();
      window.values_[i] = in.read<V>();
    }
    window.size_ = size;
    window.front_ = in.readVarint("the size of a window's front stack");
    if (window.front_ > size) throw Error("a window's front stack is larger than the window");
    window.back_ = in.read<std::optional<V>>();
    return window;
  }

 private:
  size_t capacity() const { return panes_.size(); }
  size_t physical(size_t logical) const { return (head_ + logical) & (capacity() - 1); }

  template <class Combine>
  void flip(const Combine& combine) {
    for (size_t i = size_ - 1; i-- > 0;) {
      V& value = values_[physical(i)];
      value = combine(std::move(value), V(values_[physical(i + 1)]));
    }
    front_ = size_;
    back_.reset();
  }

  void grow() {
    size_t new_capacity = capacity() == 0 ? 2 : capacity() * 2;
    std::vector<uint32_t> panes(new_capacity);
    std::vector<V> values(new_capacity);
    for (size_t i = 0; i < size_; ++i) {
      panes[i] = panes_[physical(i)];
      values[i] = std::move(values_[physical(i)]);
    }
    panes_ = std::move(panes);
    values_ = std::move(values);
    head_ = 0;
  }

  std::vector<uint32_t> panes_;  // ring, power-of-two capacity
  std::vector<V> values_;        // ring, same positions
  size_t head_ = 0;
  size_t size_ = 0;
  size_t front_ = 0;
  std::optional<V> back_;
};

/// Checks the durations of a window operation over a stream that slides by `parent_slide`,
/// throwing `caudal::Error` naming `operation` when they are invalid.
inline void validateWindow(const std::string& operation, Duration parent_slide, Duration window,
                           Duration slide) {
  if (window <= Duration() || !window.isMultipleOf(parent_slide)) {
    throw Error(operation + ": the window duration (" + window.toString() +
                ") must be a positive multiple of the stream's slide duration (" +
                parent_slide.toString() + ")");
  }
  if (slide <= Duration() || !slide.isMultipleOf(parent_slide)) {
    throw Error(operation + ": the slide duration (" + slide.toString() +
                ") must be a positive multiple of the stream's slide duration (" +
                parent_slide.toString() + ")");
  }
  if (slide > window) {
    throw Error(operation + ": the slide duration (" + slide.toString() +
                ") must not be longer than the window duration (" + window.toString() + ")");
  }
}

}  // namespace caudal::detail
