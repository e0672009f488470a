#include "lazy_factory.h"

#include <dlfcn.h>

#include <filesystem>
#include <string>

#include "recur/core/error.h"

namespace recur::plugins {

namespace {

using Make = Preprocessor* (*)(const ImageSettings*);

// The OpenCV side, found from this plugin's own file; loaded once, never closed.
Make load_make() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&load_make), &info) == 0 || !info.dli_fname) {
    throw PluginError("opencv plugin: cannot tell where it was loaded from");
  }
  const auto file = std::filesystem::absolute(info.dli_fname).parent_path().parent_path() /
                    "librecur_opencv_images.so";
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw PluginError(file.string() + ": cannot load the OpenCV side of the opencv plugin: " + dlerror());
  auto make = reinterpret_cast<Make>(dlsym(handle, "recur_opencv_make_preprocessor"));
  if (!make) throw PluginError(file.string() + ": no recur_opencv_make_preprocessor entry point");
  return make;
}

}  // namespace

std::unique_ptr<Preprocessor> lazy_opencv_factory(const config::Section& section,
                                                  const BuildContext&) {
  const ImageSettings settings = parse_image_settings(section);
  static const Make make = load_make();
  return std::unique_ptr<Preprocessor>(make(&settings));
}

}  // namespace recur::plugins
