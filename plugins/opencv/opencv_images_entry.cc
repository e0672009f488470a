// The OpenCV side of the opencv plugin (lazy_factory.h): its one exported symbol.
#include "lazy_factory.h"
#include "opencv_preprocessor.h"

extern "C" __attribute__((visibility("default"))) recur::Preprocessor*
recur_opencv_make_preprocessor(const recur::plugins::ImageSettings* settings) {
  return new recur::plugins::OpenCvPreprocessor(*settings);
}
