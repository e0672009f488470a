#!/bin/sh
# recur against PyTorch on the same model folder and inputs, and against the machine's
# matmul peak. One command: builds what it runs, then bench/harness/driver.py prints a
# markdown table and writes bench/results/<date>-<host kind>.md.
#
#   bench/run.sh [--quick] [--model DIR] [--data DIR] [--threads N] [--reps N]
#                [--only translate,latency,train,flops,memory_scale] [--scale-sizes MB,...]
#                [--build DIR]
#
# Defaults: models/en-fr, data/ddtp/en-fr (scripts/data/build_ddtp_corpus.py), all
# cores, 3 runs per side. --quick uses tiny sizes to check the harness in a minute.
# Needs python3-torch, python3-yaml, python3-sentencepiece and libopenblas0-pthread.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build="$here/../build"
prev=""
for a in "$@"; do
  [ "$prev" = "--build" ] && build="$a"
  prev="$a"
done
[ -f "$build/CMakeCache.txt" ] || cmake -S "$here/.." -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "${BENCH_BUILD_JOBS:-2}" --target recur_cli recur_flops_bench recur_latency_bench \
  recur_encoder_bilstm recur_decoder_attention recur_tokenizer_sentencepiece recur_tokenizer_vocab >/dev/null
exec /usr/bin/python3 "$here/harness/driver.py" --build "$build" "$@"
