#!/bin/sh
# recur against PyTorch on the same model folder and inputs, and against the machine's
# matmul peak. One command: builds what it runs, then bench/harness/driver.py prints a
# markdown table and writes bench/results/<date>-<host kind>.md.
#
#   bench/run.sh [--quick] [--model DIR] [--data DIR] [--threads N] [--reps N]
#                [--only translate,latency,train,flops,memory_scale,caption,classify,generate,forecast]
#                [--scale-sizes MB,...] [--caption-model DIR] [--caption-data FILE]
#                [--classify-model DIR] [--classify-data FILE] [--lm-model DIR]
#                [--forecast-model DIR] [--forecast-data FILE]
#                [--peer-jit auto|eager|script|freeze] [--build DIR]
#
# Defaults: models/en-fr, data/ddtp/en-fr (scripts/data/build_ddtp_corpus.py), all
# cores, 3 runs per side. The caption rows use models/emoji-caption and
# data/emoji/test.tsv (scripts/data/build_emoji_corpus.py); the classify rows
# models/sentiment and data/sentiment/test.text (scripts/data/build_sentiment_corpus.py);
# the generate rows models/moby-dick (recur train pipelines/moby-dick.yaml); the forecast
# rows models/forecast-co2 and data/series/co2.csv (scripts/data/build_series_corpus.py). Without its
# model folder or data the default set skips a row group with a note. --quick uses tiny sizes to check the harness in a minute.
# Needs python3-torch, python3-yaml, python3-sentencepiece, python3-pil and libopenblas0-pthread
# (scripts/install-deps.sh --with-torch installs them).
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
  recur_encoder_bilstm recur_decoder_attention recur_tokenizer_sentencepiece recur_tokenizer_vocab \
  recur_task_caption recur_encoder_cnn recur_preprocessor_opencv recur_task_classify recur_task_lm \
  recur_task_forecast >/dev/null
exec /usr/bin/python3 "$here/harness/driver.py" --build "$build" "$@"
