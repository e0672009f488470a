#include "recur/ops/threads.h"

#include <omp.h>

#include <string>

#include "recur/core/error.h"

namespace recur::ops {

// oneDNN (Debian's build uses the OpenMP runtime) and recur's own loops both take
// their thread count from OpenMP.
void set_num_threads(int n) {
  if (n < 1) throw Error("set_num_threads: expected at least 1 thread, got " + std::to_string(n));
  omp_set_num_threads(n);
}

int num_threads() { return omp_get_max_threads(); }

}  // namespace recur::ops
