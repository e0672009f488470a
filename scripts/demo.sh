#!/usr/bin/env bash
# The main job on the bundled model: installs missing packages, builds recur, translates
# the bundled English sample with models/en-fr and prints the translation and its BLEU
# and chrF against the bundled French reference.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh release >/dev/null

model=models/en-fr
out=$(mktemp -d)/sample.fr
build/bin/recur translate -m "$model" -i "$model/sample.en" -o "$out"
paste -d '\n' "$model/sample.en" "$out" /dev/null | sed -n '1,30p'  # reads all: head would stop paste with SIGPIPE (pipefail)
echo "... ($(wc -l < "$out") lines in $out)"
build/bin/recur eval --ref "$model/sample.fr" "$out"
