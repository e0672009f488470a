// Thread count of the compute kernels (oneDNN runs on OpenMP).
#pragma once

namespace recur::ops {

// Threads used by subsequent ops; n must be >= 1.
void set_num_threads(int n);
int num_threads();

}  // namespace recur::ops
