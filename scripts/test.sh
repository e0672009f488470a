#!/usr/bin/env bash
# The whole test suite: installs missing Debian packages, builds recur (release), runs
# every test, then builds with AddressSanitizer + UBSan and runs the unit tests again.
# This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
start=$SECONDS

scripts/build.sh release
(cd build && ctest --output-on-failure -j "$(nproc)")

scripts/build.sh asan
# oneDNN's JIT and OpenMP runtime keep allocations alive at exit by design; leaks of
# recur's own code are still reported by tests that check them explicitly.
(cd build-asan && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -L unit -j "$(nproc)")

echo "recur: test suite finished in $((SECONDS - start)) s"
