#include "recur/pipeline/workers.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "recur/ops/tape.h"
#include "recur/ops/threads.h"

namespace recur {

void run_on_workers(std::size_t n, std::int64_t workers_wanted, const std::function<void(std::size_t)>& work) {
  const int workers = static_cast<int>(
      std::clamp<std::int64_t>(workers_wanted, 1, static_cast<std::int64_t>(std::max<std::size_t>(n, 1))));
  if (workers == 1) {
    autograd::NoGradGuard no_grad;
    for (std::size_t i = 0; i < n; ++i) work(i);
    return;
  }
  const int compute = std::max(1, ops::num_threads() / workers);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto loop = [&] {
    autograd::NoGradGuard no_grad;  // per thread
    ops::set_num_threads(compute);
    try {
      for (std::size_t i; (i = next++) < n;) work(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      next = n;
    }
  };
  std::vector<std::thread> threads;
  for (int w = 1; w < workers; ++w) threads.emplace_back(loop);
  {
    ops::ScopedNumThreads own(ops::num_threads());  // loop() sets this thread's count
    loop();
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace recur
