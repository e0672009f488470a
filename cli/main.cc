#include <malloc.h>

#include "app.h"

namespace {

// glibc gives freed memory back to the kernel once the top of the heap holds 128 KiB free
// and serves blocks of 128 KiB and up (adapting) by mmap: a decoder step frees and
// reallocates hundreds of KiB of tensors, so each step paid page faults on fresh pages
// (a tenth of greedy translation's time was the kernel's). Blocks of 1 MiB and up come
// from recur's own pool (recur/core/block_pool.h); below that, keep freed memory for the
// next step. Peak memory is unchanged; what was freed is kept for reuse, not returned.
void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  keep_freed_memory();
  return recur::cli::run_app(std::vector<std::string>(argv + 1, argv + argc));
}
