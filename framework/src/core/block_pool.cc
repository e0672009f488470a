#include "recur/core/block_pool.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <list>
#include <map>
#include <mutex>
#include <new>
#include <vector>

#include <sys/mman.h>

namespace recur {

namespace {

constexpr std::size_t kAlignment = 64;
constexpr std::size_t kMinPooled = std::size_t{1} << 20;
constexpr std::size_t kDefaultLimitMiB = 1024;
constexpr std::size_t kHugePage = std::size_t{2} << 20;

// RECUR_BLOCK_POOL_MB overrides the limit (0 turns pooling off).
std::size_t pool_limit() {
  static const std::size_t limit = [] {
    std::size_t mib = kDefaultLimitMiB;
    if (const char* v = std::getenv("RECUR_BLOCK_POOL_MB")) {
      char* end = nullptr;
      const unsigned long long n = std::strtoull(v, &end, 10);
      if (end != v && *end == '\0') mib = static_cast<std::size_t>(n);
    }
    return mib << 20;
  }();
  return limit;
}

// Rounds up to a multiple of an eighth of the largest power of two not above `bytes`:
// at most 12.5% more, and sizes that differ by a few rows share a class.
std::size_t size_class(std::size_t bytes) {
  if (bytes < kMinPooled) return (bytes + kAlignment - 1) / kAlignment * kAlignment;
  const std::size_t step = std::bit_floor(bytes) / 8;
  return (bytes + step - 1) / step * step;
}

using Clock = std::chrono::steady_clock;

// Free blocks by capacity, and in the order they were released: when the pool is full
// the oldest go first (sizes in use drift, as rows of a batch finish), and a block idle
// for kMaxIdle goes anyway. A job's working set comes back within milliseconds (every
// decoder step, every training step); a size met once (the longest batch of a file, a
// validation pass) would otherwise stay resident for the rest of the job, and a batch
// job's memory would follow the largest shapes it ever met rather than its steady ones.
class Pool {
 public:
  // The smallest free block of at least `capacity` and at most twice that; if there is
  // none, makes room for one of `capacity` to be mapped (and counted by lent()).
  Block take(std::size_t capacity) {
    std::vector<Block> evicted;
    Block b;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      evict_idle(Clock::now() - kMaxIdle, evicted);
      auto it = by_size_.lower_bound(capacity);
      if (it != by_size_.end() && it->first <= 2 * capacity) {
        b = Block{it->second->block.data, it->first};
        age_.erase(it->second);
        by_size_.erase(it);
        held_ -= b.capacity;
        count_lent(b.capacity);
      } else {
        make_room(capacity, evicted);
      }
    }
    unmap(evicted);
    return b;
  }

  // Counts a freshly mapped block of `capacity` as lent.
  void lent(std::size_t capacity) {
    std::lock_guard<std::mutex> lock(mutex_);
    count_lent(capacity);
  }

  // Keeps `block`, unmapping the oldest blocks if the pool would grow past its limit.
  void keep(Block block) {
    std::vector<Block> evicted;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      lent_ -= block.capacity;
      const Clock::time_point now = Clock::now();
      evict_idle(now - kMaxIdle, evicted);
      while (held_ + block.capacity > pool_limit() && !age_.empty()) evict_oldest(evicted);
      if (held_ + block.capacity <= pool_limit()) {
        age_.push_back({block, now});
        by_size_.emplace(block.capacity, std::prev(age_.end()));
        held_ += block.capacity;
      } else {
        evicted.push_back(block);
      }
    }
    unmap(evicted);
  }

  // Unmaps the blocks released before `before`; returns their bytes.
  std::size_t release_before(Clock::time_point before) {
    std::vector<Block> evicted;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      evict_idle(before, evicted);
    }
    std::size_t bytes = 0;
    for (const Block& b : evicted) bytes += b.capacity;
    unmap(evicted);
    return bytes;
  }

  std::size_t held() {
    std::lock_guard<std::mutex> lock(mutex_);
    return held_;
  }

 private:
  static constexpr auto kMaxIdle = std::chrono::seconds(2);

  struct Free {
    Block block;
    Clock::time_point released;
  };

  // Under the lock.
  void count_lent(std::size_t capacity) {
    lent_ += capacity;
    peak_lent_ = std::max(peak_lent_, lent_);
  }

  // Under the lock, before a block of `capacity` is mapped: unmaps the oldest free blocks
  // until everything mapped (lent, held, the new block) fits in a quarter more than the
  // most ever lent at once. Free blocks of other sizes fill only the room the job's own
  // peak made. (The quarter: a training step's batches change shape and come back; with
  // no room above the peak, training at the shipped configuration ran 4% slower.)
  void make_room(std::size_t capacity, std::vector<Block>& evicted) {
    const std::size_t budget = std::max(peak_lent_ + peak_lent_ / 4, lent_ + capacity);
    while (!age_.empty() && lent_ + held_ + capacity > budget) evict_oldest(evicted);
  }

  // Under the lock.
  void evict_oldest(std::vector<Block>& evicted) {
    const Block old = age_.front().block;
    auto range = by_size_.equal_range(old.capacity);
    for (auto it = range.first; it != range.second; ++it) {
      if (it->second == age_.begin()) {
        by_size_.erase(it);
        break;
      }
    }
    age_.pop_front();
    held_ -= old.capacity;
    evicted.push_back(old);
  }
  void evict_idle(Clock::time_point before, std::vector<Block>& evicted) {
    while (!age_.empty() && age_.front().released < before) evict_oldest(evicted);
  }

  // Outside the lock: munmap takes the kernel's time, not the pool's.
  static void unmap(const std::vector<Block>& blocks) {
    for (const Block& b : blocks) munmap(b.data, b.capacity);
  }

  std::mutex mutex_;
  std::list<Free> age_;  // oldest first
  std::multimap<std::size_t, std::list<Free>::iterator> by_size_;
  std::size_t held_ = 0;       // bytes of the free blocks
  std::size_t lent_ = 0;       // bytes of the pooled-size blocks handed out and not yet back
  std::size_t peak_lent_ = 0;  // the most ever lent at once
};

Pool& pool() {
  static auto* p = new Pool;  // never destroyed: tensors may outlive static destructors
  return *p;
}

// Maps `capacity` bytes (a multiple of the page size). A block of 2 MiB or more starts on
// a 2 MiB boundary and asks for transparent huge pages (advice: the kernel may decline):
// first touch then faults 2 MiB at a time, not 4 KiB. Loading a model touches each
// weight once (an 8,000 x 256 projection is 2,048 small pages), and on a virtual machine
// a page fault costs tens of microseconds.
void* map_block(std::size_t capacity) {
  const bool huge = capacity >= kHugePage;
  const std::size_t length = huge ? capacity + kHugePage : capacity;
  void* p = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  if (!huge) return p;
  const auto base = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t start = (base + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t stop = start + capacity;
  if (start > base) munmap(p, start - base);
  if (base + length > stop) munmap(reinterpret_cast<void*>(stop), base + length - stop);
  madvise(reinterpret_cast<void*>(start), capacity, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(start);
}

}  // namespace

// Large blocks are mapped and unmapped directly, not through malloc: freed into a
// malloc arena (one per thread) they would stay resident, and blocks kept by the pool
// would pin the arena's top so it could never shrink.
Block take_block(std::size_t bytes) {
  const std::size_t capacity = size_class(bytes == 0 ? 1 : bytes);
  if (capacity < kMinPooled) {
    void* p = std::aligned_alloc(kAlignment, capacity);
    if (!p) throw std::bad_alloc();
    return {p, capacity};
  }
  if (Block b = pool().take(capacity); b.data) return b;
  Block fresh{map_block(capacity), capacity, true};  // counted once mapped: mmap may fail
  pool().lent(capacity);
  return fresh;
}

void give_block(Block block) {
  if (!block.data) return;
  if (block.capacity < kMinPooled) {
    std::free(block.data);
  } else {
    pool().keep(block);
  }
}

std::size_t pooled_block_bytes() { return pool().held(); }

std::size_t release_idle_blocks(std::chrono::milliseconds idle) {
  return pool().release_before(Clock::now() - idle);
}

}  // namespace recur
