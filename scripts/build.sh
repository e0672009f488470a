#!/usr/bin/env bash
# Configures and builds recur. Usage: scripts/build.sh [release|asan] (default release)
#   release -> build/       (everything: librecur, recur, plugins, tests, benchmarks)
#   asan    -> build-asan/  (AddressSanitizer + UBSan, no benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-release}
jobs=${RECUR_JOBS:-$(nproc)}
# ccache (installed by install-deps.sh) keeps compiled objects between builds and clean
# clones: a second build of unchanged sources compiles nothing. RECUR_CCACHE=0 turns it off.
launcher=()
if [[ ${RECUR_CCACHE:-1} != 0 ]] && command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
case "$kind" in
  release)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >/dev/null
    cmake --build build -j "$jobs"
    ;;
  asan)
    # -O1 with line tables only (-g1): symbolised reports, compiled in about half the
    # time -O2 takes under the sanitizers (the unit tests run in seconds either way).
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" -DCMAKE_CXX_FLAGS=-g1 \
      -DRECUR_SANITIZE=ON -DRECUR_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
    cmake --build build-asan -j "$jobs"
    ;;
  *)
    echo "usage: scripts/build.sh [release|asan]" >&2
    exit 2
    ;;
esac
