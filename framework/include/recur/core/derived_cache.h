// Copies derived from a storage's bytes (a weight in the layout a kernel prefers, say),
// kept with the storage so they live and die with it: no global map, and a freed and
// reused address can never be taken for the old weight. Every entry records the
// storage version it was made from (Storage::version()) and is served only while that
// version is current, so an in-place update of the weight is never answered with a
// stale copy.
//
// The core layer never looks inside a value: the ops layer decides what it stores and
// under which key. Thread-safe (several threads may decode with the same weights);
// bounded to kCapacity entries, the least recently used dropped first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace recur {

class DerivedCache {
 public:
  // A weight needs one copy per layout a kernel asks for: usually one or two, but
  // oneDNN's packed bf16 RNN weights differ per batch row count, and a decoder meets
  // about ten steady row counts (core/steady_shapes.h).
  static constexpr std::size_t kCapacity = 16;

  // The value stored under `key` if it was made at `version`, else null. A stale entry
  // (made at another version) is dropped, so its memory goes as soon as it is asked for.
  std::shared_ptr<const void> find(std::string_view key, std::uint64_t version);

  // Stores `value` under `key` (replacing any entry with that key) as made at `version`.
  void put(std::string key, std::uint64_t version, std::shared_ptr<const void> value);

  std::size_t size() const;

 private:
  struct Entry {
    std::string key;
    std::uint64_t version = 0;
    std::shared_ptr<const void> value;
  };
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;  // most recently used first
};

}  // namespace recur
