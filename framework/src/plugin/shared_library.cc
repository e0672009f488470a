#include "shared_library.h"

#include <dlfcn.h>

#include <string>

#include "recur/core/error.h"

namespace recur {

SharedLibrary::SharedLibrary(std::filesystem::path file) : file_(std::move(file)) {
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) {
    throw PluginError("cannot load plugin " + file_.string() + ": no such file");
  }
  dlerror();  // clear a stale error
  handle_ = dlopen(file_.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle_) {
    const char* why = dlerror();
    throw PluginError("cannot load plugin " + file_.string() + ": " +
                      (why ? why : "not a loadable shared library"));
  }
}

SharedLibrary::~SharedLibrary() {
  // RTLD_NODELETE keeps the code mapped; this only drops our reference.
  if (handle_) dlclose(handle_);
}

void* SharedLibrary::symbol(const char* name) const { return dlsym(handle_, name); }

}  // namespace recur
