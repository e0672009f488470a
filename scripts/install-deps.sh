#!/usr/bin/env bash
# Installs the Debian packages recur needs that are missing (apt-get update first), then
# checks that every find_package of the build will succeed (cmake/depcheck/), so that a
# missing package is named here rather than halfway through a build.
# Usage: scripts/install-deps.sh [--with-torch]
#   --with-torch  also python3-torch + libopenblas0-pthread (reference fixtures, benchmarks),
#                 python3-pil (PNG decoding of the captioning benchmark's PyTorch side and
#                 of the nearest-neighbour caption baseline) and what bench/run.sh reads
#                 pipelines and tokenizes with (python3-yaml, python3-sentencepiece), and
#                 libtcmalloc-minimal4 (the peer runs with it too: bench/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."

# libcairo2-dev, libpango1.0-dev: recur_viz (recur plot, recur report). Fonts, so text is
# drawn with real glyphs: fonts-dejavu-core (Latin, Greek, Cyrillic; 1.1 MB),
# fonts-droid-fallback (CJK; 1.8 MB, where fonts-noto-cjk is 57 MB) and
# fonts-noto-color-emoji (9.9 MB); on a fresh bookworm these add 59 packages, 42 MB to
# download. chromium: the test that opens `recur report` in a real browser (label
# "browser"); 64 packages, 135 MB to download on top of the rest (which is 457 MB).
# ocl-icd-opencl-dev: Debian's oneDNN CMake package looks for OpenCL, and it is only a
# Recommends of libdnnl-dev (skipped by --no-install-recommends).
packages=(
  build-essential cmake ninja-build pkg-config git ccache
  libdnnl-dev ocl-icd-opencl-dev libsentencepiece-dev sentencepiece libopencv-dev libyaml-cpp-dev
  libboost-program-options-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core fonts-droid-fallback fonts-noto-color-emoji
  chromium
  clang libclang-rt-dev python3
)
if [[ "${1:-}" == "--with-torch" ]]; then
  packages+=(python3-torch python3-numpy python3-pil libopenblas0-pthread python3-yaml python3-sentencepiece libtcmalloc-minimal4)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
  echo "recur: installing missing Debian packages: ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >&2
fi

# The build's own dependency list (cmake/RecurDependencies.cmake), configured alone.
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
if ! cmake -S cmake/depcheck -B "$check" -G Ninja >"$check/log" 2>&1; then
  grep -m1 -A2 'recur:' "$check/log" >&2 || cat "$check/log" >&2
  echo "recur: install-deps: the build's dependencies are still incomplete (above)" >&2
  exit 1
fi
