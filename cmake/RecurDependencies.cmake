# Every package the build needs, each found once, with the Debian package that provides
# it: a missing one stops the configure step with one line naming what to install.
# scripts/install-deps.sh configures cmake/depcheck/ (this file alone) after installing,
# so a missing install step shows up there, before the build.

macro(recur_require package debian)
  find_package(${package} QUIET ${ARGN})
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR "recur: ${package} not found: install the Debian package '${debian}' "
                        "(scripts/install-deps.sh installs everything the build needs)")
  endif()
endmacro()

# Debian's oneDNN CMake package looks for OpenCL, whose headers come with
# ocl-icd-opencl-dev (only a Recommends of libdnnl-dev): check it first, so its absence
# is named rather than reported from inside dnnl-config.cmake.
recur_require(OpenCL ocl-icd-opencl-dev)
recur_require(dnnl libdnnl-dev)
recur_require(yaml-cpp libyaml-cpp-dev)
recur_require(Boost libboost-program-options-dev COMPONENTS program_options)
recur_require(OpenCV libopencv-dev COMPONENTS core imgproc imgcodecs)
recur_require(spdlog libspdlog-dev)
recur_require(fmt libfmt-dev)
recur_require(nlohmann_json nlohmann-json3-dev)
recur_require(PkgConfig pkg-config)
pkg_check_modules(SentencePiece QUIET IMPORTED_TARGET sentencepiece)
if(NOT SentencePiece_FOUND)
  message(FATAL_ERROR "recur: sentencepiece not found: install the Debian package 'libsentencepiece-dev' "
                      "(scripts/install-deps.sh installs everything the build needs)")
endif()
# recur_viz (plots, reports): Cairo draws PNG and SVG, Pango lays out the text (fontconfig
# picks the fonts: scripts/install-deps.sh installs DejaVu, Droid Sans Fallback for CJK and
# Noto Color Emoji, so real glyphs are drawn on a fresh machine).
pkg_check_modules(Cairo QUIET IMPORTED_TARGET cairo cairo-png cairo-svg)
if(NOT Cairo_FOUND)
  message(FATAL_ERROR "recur: cairo not found: install the Debian package 'libcairo2-dev' "
                      "(scripts/install-deps.sh installs everything the build needs)")
endif()
pkg_check_modules(PangoCairo QUIET IMPORTED_TARGET pangocairo)
if(NOT PangoCairo_FOUND)
  message(FATAL_ERROR "recur: pangocairo not found: install the Debian package 'libpango1.0-dev' "
                      "(scripts/install-deps.sh installs everything the build needs)")
endif()
if(RECUR_BUILD_TESTS)
  recur_require(GTest libgtest-dev)
endif()
if(RECUR_BUILD_BENCH)
  recur_require(benchmark libbenchmark-dev)
endif()
