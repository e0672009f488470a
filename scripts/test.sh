#!/usr/bin/env bash
# The whole test suite: installs missing Debian packages, builds recur (release), runs
# every test, then builds with AddressSanitizer + UBSan and runs the unit tests again.
# This is the README's test command; CI (.ci/run) runs it in a fresh Debian root
# (scripts/ci-fresh-root.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
phase() { echo "recur: $1 took $((SECONDS - t)) s" >&2; t=$SECONDS; }
t=$SECONDS

scripts/install-deps.sh
phase "installing packages"

scripts/build.sh release
phase "the release build"
(cd build && ctest --output-on-failure -j "$(nproc)")
phase "the tests"

scripts/build.sh asan
phase "the sanitizer build"
# oneDNN's JIT and OpenMP runtime keep allocations alive at exit by design; leaks of
# recur's own code are still reported by tests that check them explicitly.
(cd build-asan && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --output-on-failure -L unit -j "$(nproc)")
phase "the sanitizer tests"

echo "recur: test suite finished in $((SECONDS - start)) s"
