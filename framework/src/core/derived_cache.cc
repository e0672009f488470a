#include "recur/core/derived_cache.h"

#include <algorithm>

namespace recur {

std::shared_ptr<const void> DerivedCache::find(std::string_view key, std::uint64_t version) {
  std::shared_ptr<const void> stale;  // released after the lock
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.key == key; });
  if (it == entries_.end()) return nullptr;
  if (it->version != version) {
    stale = std::move(it->value);
    entries_.erase(it);
    return nullptr;
  }
  std::rotate(entries_.begin(), it, it + 1);  // most recent first
  return entries_.front().value;
}

void DerivedCache::put(std::string key, std::uint64_t version, std::shared_ptr<const void> value) {
  std::vector<Entry> dropped;  // released after the lock
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& e) { return e.key == key; });
  if (it != entries_.end()) {
    dropped.push_back(std::move(*it));
    entries_.erase(it);
  }
  entries_.insert(entries_.begin(), Entry{std::move(key), version, std::move(value)});
  while (entries_.size() > kCapacity) {
    dropped.push_back(std::move(entries_.back()));
    entries_.pop_back();
  }
}

std::size_t DerivedCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace recur
