#!/usr/bin/env bash
# Installs the Debian packages recur needs that are missing (apt-get update first).
# Usage: scripts/install-deps.sh [--with-torch]
#   --with-torch  also python3-torch + libopenblas0-pthread (reference fixtures, benchmarks)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libdnnl-dev libsentencepiece-dev sentencepiece libopencv-dev libyaml-cpp-dev
  libboost-program-options-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-dev python3
)
if [[ "${1:-}" == "--with-torch" ]]; then
  packages+=(python3-torch python3-numpy libopenblas0-pthread)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "recur: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
