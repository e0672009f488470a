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
    const char* error = dlerror();
    std::string why = error ? error : "not a loadable shared library";
    // dlerror usually starts with the file name, which the message already gives.
    if (why.starts_with(file_.string() + ": ")) why.erase(0, file_.string().size() + 2);
    throw PluginError("cannot load plugin " + file_.string() + ": " + why);
  }
}

SharedLibrary::~SharedLibrary() {
  // RTLD_NODELETE keeps the code mapped; this only drops our reference.
  if (handle_) dlclose(handle_);
}

void* SharedLibrary::symbol(const char* name) const { return dlsym(handle_, name); }

}  // namespace recur
