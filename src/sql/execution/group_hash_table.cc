#include "sql/execution/group_hash_table.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <utility>

#include "caudal/detail/stable_hash.h"

namespace caudal::sql {

namespace {

constexpr uint64_t kNullHash = 0x7f4a7c159e3779b9ULL;
constexpr size_t kInitialCapacity = 64;
constexpr size_t kTargetBlockBytes = 64 * 1024;

constexpr uint32_t align8(uint32_t n) { return (n + 7) & ~uint32_t{7}; }

inline uint64_t hashInt(int64_t v) { return detail::mix64(static_cast<uint64_t>(v)); }

inline double normalizeDouble(double d) {
  if (d == 0) return 0.0;  // -0.0 groups with 0.0
  if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
  return d;
}
inline float normalizeFloat(float f) {
  if (f == 0) return 0.0f;
  if (std::isnan(f)) return std::numeric_limits<float>::quiet_NaN();
  return f;
}

inline uint64_t hashDouble(double d) {
  const double n = normalizeDouble(d);
  uint64_t bits;
  std::memcpy(&bits, &n, sizeof bits);
  return detail::mix64(bits);
}

struct IntHasher {
  template <class T>
  uint64_t operator()(T v) const {
    return hashInt(static_cast<int64_t>(v));
  }
};
struct Int128Hasher {
  uint64_t operator()(__int128 v) const {
    const auto bits = static_cast<unsigned __int128>(v);
    return detail::hashCombine(hashInt(static_cast<int64_t>(bits)), hashInt(static_cast<int64_t>(bits >> 64)));
  }
};
struct FloatHasher {
  template <class T>
  uint64_t operator()(T v) const {
    return hashDouble(static_cast<double>(v));
  }
};
struct StringHasher {
  uint64_t operator()(std::string_view v) const { return detail::hashBytes(v.data(), v.size()); }
};

// One column's hashes into `hashes`: stored when kFirst, else combined with what is there.
template <bool kFirst, class T, class H>
void hashColumn(const Vector& column, Rows rows, uint64_t* hashes, H hasher) {
  auto put = [&](uint32_t i, uint64_t h) { hashes[i] = kFirst ? h : detail::hashCombine(hashes[i], h); };
  if (column.isConstant()) {
    const uint64_t h = column.isNull(0) ? kNullHash : hasher(column.values<T>()[0]);
    for (uint32_t i = 0; i < rows.count; ++i) put(i, h);
    return;
  }
  const T* data = column.values<T>();
  if (column.validity().allValid()) {
    // The hot loops: no NULLs.
    if (rows.isIdentity()) {
      for (uint32_t i = 0; i < rows.count; ++i) put(i, hasher(data[i]));
    } else {
      for (uint32_t i = 0; i < rows.count; ++i) put(i, hasher(data[rows.sel[i]]));
    }
    return;
  }
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t r = rows[i];
    put(i, column.validity().isValid(r) ? hasher(data[r]) : kNullHash);
  }
}

template <bool kFirst>
void hashAnyColumn(const Vector& column, Rows rows, uint64_t* hashes) {
  switch (column.type().id()) {
    case TypeId::kBoolean: return hashColumn<kFirst, uint8_t>(column, rows, hashes, IntHasher{});
    case TypeId::kTinyInt: return hashColumn<kFirst, int8_t>(column, rows, hashes, IntHasher{});
    case TypeId::kSmallInt: return hashColumn<kFirst, int16_t>(column, rows, hashes, IntHasher{});
    case TypeId::kInt:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kIntervalYearMonth: return hashColumn<kFirst, int32_t>(column, rows, hashes, IntHasher{});
    case TypeId::kBigInt:
    case TypeId::kDecimal:
    case TypeId::kTimestamp:
    case TypeId::kTimestampLtz:
    case TypeId::kIntervalDayTime: return hashColumn<kFirst, int64_t>(column, rows, hashes, IntHasher{});
    case TypeId::kDecimal128: return hashColumn<kFirst, __int128>(column, rows, hashes, Int128Hasher{});
    case TypeId::kFloat: return hashColumn<kFirst, float>(column, rows, hashes, FloatHasher{});
    case TypeId::kDouble: return hashColumn<kFirst, double>(column, rows, hashes, FloatHasher{});
    case TypeId::kString:
    case TypeId::kBytes: return hashColumn<kFirst, std::string_view>(column, rows, hashes, StringHasher{});
    default:
      // NULL-typed columns hold only NULLs; nested types are not group keys (the binder
      // rejects them), so they hash as NULL here rather than fail.
      for (uint32_t i = 0; i < rows.count; ++i) {
        hashes[i] = kFirst ? kNullHash : detail::hashCombine(hashes[i], kNullHash);
      }
      return;
  }
}

bool isFixedWidth(TypeId id) { return id != TypeId::kString && id != TypeId::kBytes; }

}  // namespace

void hashColumns(std::span<const Vector> columns, Rows rows, uint64_t* hashes) {
  if (columns.empty()) {
    // No key columns (a global aggregate): every row is one group.
    std::fill_n(hashes, rows.count, kNullHash);
    return;
  }
  hashAnyColumn<true>(columns[0], rows, hashes);
  for (size_t c = 1; c < columns.size(); ++c) hashAnyColumn<false>(columns[c], rows, hashes);
}

GroupHashTable::GroupHashTable(std::vector<DataType> key_types, uint32_t payload_size,
                               PayloadInitializer initializer)
    : key_types_(std::move(key_types)), initializer_(std::move(initializer)) {
  assert(!key_types_.empty());
  const size_t k = key_types_.size();
  null_bytes_ = k > 1 ? static_cast<uint32_t>((k + 7) / 8) : 0;
  // Fixed-width columns first (compared together with one memcmp), strings after.
  uint32_t offset = null_bytes_;
  columns_.resize(k);
  for (size_t c = 0; c < k; ++c) {
    const TypeId id = key_types_[c].id();
    columns_[c].id = id;
    columns_[c].is_string = !isFixedWidth(id);
    columns_[c].is_float = id == TypeId::kFloat || id == TypeId::kDouble;
    if (!columns_[c].is_string) {
      columns_[c].offset = offset;
      columns_[c].width = id == TypeId::kNull ? 0 : static_cast<uint32_t>(physicalSize(id));
      offset += columns_[c].width;
    }
  }
  fixed_width_ = offset;
  for (size_t c = 0; c < k; ++c) {
    if (columns_[c].is_string) {
      columns_[c].offset = offset;
      columns_[c].width = sizeof(std::string_view);
      offset += columns_[c].width;
      has_strings_ = true;
    }
  }
  key_width_ = offset;
  if (k == 1 && !columns_[0].is_string && !columns_[0].is_float) {
    const uint32_t w = columns_[0].width;
    if (w == 1 || w == 2 || w == 4 || w == 8) single_width_ = w;
  }
  payload_size_ = align8(payload_size);
  payload_offset_ = kKeyOffset + align8(key_width_);
  row_width_ = payload_offset_ + payload_size_;
  const size_t rows_per_block = std::bit_floor(std::max<size_t>(1, kTargetBlockBytes / row_width_));
  block_shift_ = static_cast<uint32_t>(std::countr_zero(rows_per_block));
  block_mask_ = static_cast<uint32_t>(rows_per_block - 1);

  slots_ = std::make_unique<uint64_t[]>(kInitialCapacity);  // zeroed: all empty
  mask_ = kInitialCapacity - 1;
  max_used_slots_ = kInitialCapacity * 2 / 5;
}

GroupHashTable::~GroupHashTable() = default;
GroupHashTable::GroupHashTable(GroupHashTable&&) noexcept = default;
GroupHashTable& GroupHashTable::operator=(GroupHashTable&&) noexcept = default;

void GroupHashTable::addBlock() {
  const size_t words = (static_cast<size_t>(block_mask_) + 1) * row_width_ / sizeof(uint64_t);
  blocks_.push_back(std::unique_ptr<uint64_t[]>(new uint64_t[words]));
}

uint32_t GroupHashTable::newGroup(uint64_t hash, std::vector<uint32_t>* new_groups) {
  uint32_t id;
  if (!free_ids_.empty()) {
    id = free_ids_.back();
    free_ids_.pop_back();
  } else {
    assert(next_group_id_ < kNoGroup);
    id = next_group_id_++;
    if ((id >> block_shift_) >= blocks_.size()) addBlock();
    live_.push_back(0);
  }
  live_[id] = 1;
  ++size_;
  uint8_t* row = rowAt(id);
  std::memcpy(row, &hash, sizeof hash);
  std::memcpy(row + sizeof hash, &id, sizeof id);
  uint8_t* payload = row + payload_offset_;
  std::memset(payload, 0, payload_size_);
  if (initializer_) initializer_(payload);
  if (new_groups != nullptr) new_groups->push_back(id);
  return id;
}

uint32_t GroupHashTable::insertAt(size_t slot, uint64_t hash, std::vector<uint32_t>* new_groups) {
  const uint32_t id = newGroup(hash, new_groups);
  slots_[slot] = makeEntry(hash, rowAt(id));
  if (++used_slots_ > max_used_slots_) grow();
  return id;
}

template <bool kInsert>
uint32_t GroupHashTable::nullGroup(uint64_t hash, std::vector<uint32_t>* new_groups) {
  if (kInsert && null_group_ == kNoGroup) {
    null_group_ = newGroup(hash, new_groups);
    std::memset(keyAt(null_group_), 0, key_width_);
  }
  return null_group_;
}

void GroupHashTable::grow() {
  const size_t capacity = (mask_ + 1) * 2;
  slots_ = std::make_unique<uint64_t[]>(capacity);
  mask_ = capacity - 1;
  max_used_slots_ = capacity * 2 / 5;
  // Reinserts from the stored hashes: no key is read or compared (all are distinct).
  for (uint32_t id = 0; id < next_group_id_; ++id) {
    if (live_[id] == 0 || id == null_group_) continue;
    const uint64_t hash = storedHash(id);
    size_t slot = hash & mask_;
    while (slots_[slot] != 0) slot = (slot + 1) & mask_;
    slots_[slot] = makeEntry(hash, rowAt(id));
  }
}

bool GroupHashTable::keysEqual(const uint8_t* a, const uint8_t* b) const {
  if (std::memcmp(a, b, fixed_width_) != 0) return false;
  for (const KeyColumn& column : columns_) {
    if (!column.is_string) continue;
    std::string_view x;
    std::string_view y;
    std::memcpy(&x, a + column.offset, sizeof x);
    std::memcpy(&y, b + column.offset, sizeof y);
    if (x != y) return false;
  }
  return true;
}

bool GroupHashTable::encodeKey(std::span<const Vector> keys, uint32_t row, uint8_t* out) const {
  std::memset(out, 0, key_width_);
  for (size_t c = 0; c < columns_.size(); ++c) {
    const Vector& vector = keys[c];
    const KeyColumn& column = columns_[c];
    const uint32_t index = vector.isConstant() ? 0 : row;
    if (column.id == TypeId::kNull || !vector.validity().isValid(index)) {
      if (null_bytes_ == 0) return false;
      out[c >> 3] |= static_cast<uint8_t>(1u << (c & 7));
      continue;
    }
    const uint8_t* data = vector.values<uint8_t>() + static_cast<size_t>(index) * column.width;
    if (column.id == TypeId::kFloat) {
      const float f = normalizeFloat(*reinterpret_cast<const float*>(data));
      std::memcpy(out + column.offset, &f, sizeof f);
    } else if (column.id == TypeId::kDouble) {
      const double d = normalizeDouble(*reinterpret_cast<const double*>(data));
      std::memcpy(out + column.offset, &d, sizeof d);
    } else {
      // Strings: the view itself, pointing into the input until the key is stored.
      std::memcpy(out + column.offset, data, column.width);
    }
  }
  return true;
}

template <bool kInsert, class T>
uint32_t GroupHashTable::probeSingle(const Vector& key, Rows rows, const uint64_t* hashes, uint32_t* group_ids,
                                     std::vector<uint32_t>* new_groups) {
  const size_t size_before = size_;
  const T* data = key.values<T>();
  const bool all_valid = key.validity().allValid();
  // Locals, so that the stores to group_ids (which could alias members) do not force reloads;
  // refreshed after an insertion, which may grow the array.
  const uint64_t* slots = slots_.get();
  size_t mask = mask_;
  const bool prefetch_rows = mask >= kPrefetchSlotsAbove;
  for (uint32_t i = 0; i < rows.count; ++i) {
    const uint32_t r = rows[i];
    const uint64_t hash = hashes[i];
    if (prefetch_rows && i + kRowPrefetchDistance < rows.count) {
      // The group row a few probes ahead will be compared: fetch it while this one is.
      const uint64_t ahead = slots[hashes[i + kRowPrefetchDistance] & mask];
      if (ahead != 0) __builtin_prefetch(entryRow(ahead));
    }
    if (!all_valid && !key.validity().isValid(r)) {
      group_ids[i] = nullGroup<kInsert>(hash, new_groups);
      continue;
    }
    const T value = data[r];
    size_t slot = hash & mask;
    uint32_t id;
    for (;;) {
      const uint64_t entry = slots[slot];
      if (entry == 0) {
        if constexpr (kInsert) {
          id = insertAt(slot, hash, new_groups);
          std::memcpy(keyAt(id), &value, sizeof value);
          slots = slots_.get();
          mask = mask_;
        } else {
          id = kNoGroup;
        }
        break;
      }
      if (((entry ^ hash) & kSaltMask) == 0) {
        const uint8_t* row = entryRow(entry);
        T stored;
        std::memcpy(&stored, row + kKeyOffset, sizeof stored);
        if (stored == value) {
          id = rowGroupId(row);
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    group_ids[i] = id;
  }
  return static_cast<uint32_t>(size_ - size_before);
}

template <bool kInsert>
uint32_t GroupHashTable::probeGeneric(std::span<const Vector> keys, Rows rows, const uint64_t* hashes,
                                      uint32_t* group_ids, std::vector<uint32_t>* new_groups) {
  const size_t size_before = size_;
  const uint32_t stride = align8(key_width_);
  if (scratch_.size() < static_cast<size_t>(rows.count) * stride) scratch_.resize(static_cast<size_t>(rows.count) * stride);
  for (uint32_t i = 0; i < rows.count; ++i) {
    uint8_t* key = scratch_.data() + static_cast<size_t>(i) * stride;
    const uint64_t hash = hashes[i];
    if (!encodeKey(keys, rows[i], key)) {
      group_ids[i] = nullGroup<kInsert>(hash, new_groups);
      continue;
    }
    size_t slot = hash & mask_;
    uint32_t id;
    for (;;) {
      const uint64_t entry = slots_[slot];
      if (entry == 0) {
        if constexpr (kInsert) {
          id = insertAt(slot, hash, new_groups);
          uint8_t* stored = keyAt(id);
          std::memcpy(stored, key, key_width_);
          // Strings move into the table's arena.
          for (const KeyColumn& column : columns_) {
            if (!column.is_string) continue;
            std::string_view text;
            std::memcpy(&text, stored + column.offset, sizeof text);
            text = arena_.add(text);
            std::memcpy(stored + column.offset, &text, sizeof text);
          }
        } else {
          id = kNoGroup;
        }
        break;
      }
      if (((entry ^ hash) & kSaltMask) == 0) {
        const uint8_t* row = entryRow(entry);
        const uint8_t* stored = row + kKeyOffset;
        const bool equal = has_strings_ ? keysEqual(stored, key) : std::memcmp(stored, key, fixed_width_) == 0;
        if (equal) {
          id = rowGroupId(row);
          break;
        }
      }
      slot = (slot + 1) & mask_;
    }
    group_ids[i] = id;
  }
  return static_cast<uint32_t>(size_ - size_before);
}

template <bool kInsert>
uint32_t GroupHashTable::probe(std::span<const Vector> keys, Rows rows, const uint64_t* hashes, uint32_t* group_ids,
                               std::vector<uint32_t>* new_groups) {
  assert(keys.size() == columns_.size());
  // A probe array beyond the caches costs a miss a row: ask for every row's first slot up
  // front, so the misses overlap instead of following one another.
  if (mask_ >= kPrefetchSlotsAbove) {
    for (uint32_t i = 0; i < rows.count; ++i) __builtin_prefetch(&slots_[hashes[i] & mask_]);
  }
  if (single_width_ != 0 && !keys[0].isConstant()) {
    switch (single_width_) {
      case 1: return probeSingle<kInsert, uint8_t>(keys[0], rows, hashes, group_ids, new_groups);
      case 2: return probeSingle<kInsert, uint16_t>(keys[0], rows, hashes, group_ids, new_groups);
      case 4: return probeSingle<kInsert, uint32_t>(keys[0], rows, hashes, group_ids, new_groups);
      default: return probeSingle<kInsert, uint64_t>(keys[0], rows, hashes, group_ids, new_groups);
    }
  }
  return probeGeneric<kInsert>(keys, rows, hashes, group_ids, new_groups);
}

uint32_t GroupHashTable::findOrInsert(std::span<const Vector> keys, Rows rows, const uint64_t* hashes,
                                      uint32_t* group_ids, std::vector<uint32_t>* new_groups) {
  return probe<true>(keys, rows, hashes, group_ids, new_groups);
}

void GroupHashTable::find(std::span<const Vector> keys, Rows rows, const uint64_t* hashes, uint32_t* group_ids) {
  probe<false>(keys, rows, hashes, group_ids, nullptr);
}

void GroupHashTable::erase(uint32_t group_id) {
  assert(contains(group_id));
  if (group_id == null_group_) {
    null_group_ = kNoGroup;
  } else {
    const uint8_t* target = rowAt(group_id);
    size_t hole = storedHash(group_id) & mask_;
    while (slots_[hole] == 0 || entryRow(slots_[hole]) != target) hole = (hole + 1) & mask_;
    // Backward shift: pull later entries of the cluster into the hole when their home slot
    // is not after it, so no probe sequence is broken and no tombstone is needed.
    size_t next = hole;
    for (;;) {
      next = (next + 1) & mask_;
      const uint64_t entry = slots_[next];
      if (entry == 0) break;
      uint64_t entry_hash;
      std::memcpy(&entry_hash, entryRow(entry), sizeof entry_hash);
      const size_t home = entry_hash & mask_;
      if (((next - home) & mask_) >= ((next - hole) & mask_)) {
        slots_[hole] = entry;
        hole = next;
      }
    }
    slots_[hole] = 0;
    --used_slots_;
  }
  live_[group_id] = 0;
  free_ids_.push_back(group_id);
  --size_;
}

void GroupHashTable::gatherKeys(std::span<const uint32_t> group_ids, std::vector<Vector>& out) const {
  const uint32_t count = static_cast<uint32_t>(group_ids.size());
  out.clear();
  for (size_t c = 0; c < columns_.size(); ++c) {
    const KeyColumn& column = columns_[c];
    Vector& vector = out.emplace_back(key_types_[c], std::max<uint32_t>(count, 1));
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t id = group_ids[i];
      const uint8_t* key = keyAt(id);
      const bool is_null = null_bytes_ == 0 ? id == null_group_ : ((key[c >> 3] >> (c & 7)) & 1) != 0;
      if (is_null || column.id == TypeId::kNull) {
        vector.setNull(i);
        continue;
      }
      if (column.is_string) {
        std::string_view text;
        std::memcpy(&text, key + column.offset, sizeof text);
        vector.values<std::string_view>()[i] = vector.addString(text);
      } else {
        uint8_t* target = vector.values<uint8_t>() + static_cast<size_t>(i) * column.width;
        // Fixed sizes become plain loads and stores.
        switch (column.width) {
          case 8: std::memcpy(target, key + column.offset, 8); break;
          case 4: std::memcpy(target, key + column.offset, 4); break;
          case 2: std::memcpy(target, key + column.offset, 2); break;
          case 1: *target = key[column.offset]; break;
          default: std::memcpy(target, key + column.offset, column.width); break;
        }
      }
    }
  }
}

size_t GroupHashTable::memoryUsage() const {
  const size_t block_bytes = (static_cast<size_t>(block_mask_) + 1) * row_width_;
  return (mask_ + 1) * sizeof(uint64_t) + blocks_.size() * block_bytes + arena_.bytesHeld() + live_.capacity() +
         free_ids_.capacity() * sizeof(uint32_t) + scratch_.capacity() + key_types_.size() * sizeof(KeyColumn);
}

}  // namespace caudal::sql
