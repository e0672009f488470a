#include "recur/core/steady_shapes.h"

namespace recur {

namespace {

std::int64_t round_up(std::int64_t n, std::int64_t m) { return (n + m - 1) / m * m; }

}  // namespace

std::int64_t steady_rows(std::int64_t n) {
  if (n <= 8) return n;
  if (n <= 64) return round_up(n, 8);
  if (n <= 256) return round_up(n, 16);
  return round_up(n, 64);
}

std::int64_t steady_rows_at_most(std::int64_t n) {
  std::int64_t r = n;
  while (r > 1 && steady_rows(r) != r) --r;
  return r;
}

std::int64_t steady_positions(std::int64_t n) { return n <= 0 ? n : round_up(n, 8); }

}  // namespace recur
