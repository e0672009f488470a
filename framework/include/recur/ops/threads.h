// Thread count of the compute kernels (oneDNN runs on OpenMP).
#pragma once

namespace recur::ops {

// Threads used by subsequent ops; n must be >= 1.
void set_num_threads(int n);
int num_threads();

// Sets the thread count of this thread's later ops for its lifetime and restores the
// previous count after.
class ScopedNumThreads {
 public:
  explicit ScopedNumThreads(int n) : saved_(num_threads()) {
    if (n != saved_) set_num_threads(n);
  }
  ~ScopedNumThreads() {
    if (num_threads() != saved_) set_num_threads(saved_);
  }
  ScopedNumThreads(const ScopedNumThreads&) = delete;
  ScopedNumThreads& operator=(const ScopedNumThreads&) = delete;

 private:
  int saved_;
};

}  // namespace recur::ops
