// What the opencv plugin registers: a factory that parses the settings (so a YAML
// problem is reported at file:line without touching OpenCV), then loads the OpenCV side
// of the plugin, librecur_opencv_images.so in the folder above the plugin directory, and
// builds the preprocessor there. OpenCV's imgcodecs brings about 140 shared libraries
// (GDAL, GDCM, codecs); loading them with the plugin cost every `recur` command 0.2 s,
// now only the commands that read images pay it.
#pragma once

#include <memory>

#include "image_settings.h"

// The OpenCV side's entry point: a new OpenCvPreprocessor (throws as its constructor does).
extern "C" recur::Preprocessor* recur_opencv_make_preprocessor(
    const recur::plugins::ImageSettings* settings);

namespace recur::plugins {

std::unique_ptr<Preprocessor> lazy_opencv_factory(const config::Section& section,
                                                  const BuildContext& context);

}  // namespace recur::plugins
