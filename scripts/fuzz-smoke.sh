#!/usr/bin/env bash
# A short fuzzing run of every libFuzzer target, for CI. Builds the targets with clang
# into build-fuzz/, then runs each for SECONDS (default 60) on a scratch copy of its
# checked-in corpus. Exits non-zero as soon as a target crashes, hangs (a run of one
# input over 10 s) or leaks; the input that did it is kept in build-fuzz/fuzz-artifacts/
# (make it a regression test: add it to the target's corpus/ with the fix).
#
#   scripts/fuzz-smoke.sh            # 60 s per target
#   scripts/fuzz-smoke.sh 10         # 10 s per target
#   RECUR_JOBS=2 scripts/fuzz-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
jobs=${RECUR_JOBS:-$(nproc)}
# name:source directory:extra libFuzzer flags
targets=(
  "safetensors_fuzz:tests/fuzz/safetensors:-max_len=4096 -dict=tests/fuzz/safetensors/safetensors.dict"
  "pipeline_fuzz:tests/fuzz/pipeline:-dict=tests/fuzz/pipeline/yaml.dict"
  "text_fuzz:tests/fuzz/text:-max_len=4096"
)

cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DRECUR_BUILD_FUZZ=ON -DRECUR_BUILD_BENCH=OFF >/dev/null
names=()
for t in "${targets[@]}"; do names+=("${t%%:*}"); done
cmake --build build-fuzz -j "$jobs" --target "${names[@]}"

status=0
for t in "${targets[@]}"; do
  name=${t%%:*}
  rest=${t#*:}
  dir=${rest%%:*}
  flags=${rest#*:}
  scratch=build-fuzz/fuzz-corpus/$name
  artifacts=build-fuzz/fuzz-artifacts/$name/
  mkdir -p "$scratch" "$artifacts"
  echo "== $name: ${seconds} s on $dir/corpus"
  start=$(date +%s)
  # shellcheck disable=SC2086  # flags are words
  if ! build-fuzz/bin/"$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$artifacts" $flags "$scratch" "$dir/corpus" \
      >"build-fuzz/$name.log" 2>&1; then
    echo "$name FAILED after $(($(date +%s) - start)) s; log: build-fuzz/$name.log" \
         "artifacts: $artifacts" >&2
    tail -n 40 "build-fuzz/$name.log" >&2
    status=1
    continue
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "build-fuzz/$name.log" | tr '\n' ' '
  echo "($(($(date +%s) - start)) s)"
done
exit $status
