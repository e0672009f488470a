// RAII handle of a dlopen'ed library (private to the plugin layer). Libraries are opened
// RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE: closing the handle never unmaps the code, so
// factories, vtables and type information of components stay valid for the process.
#pragma once

#include <filesystem>

namespace recur {

class SharedLibrary {
 public:
  // Throws PluginError naming the file (with dlerror's text) if it cannot be opened.
  explicit SharedLibrary(std::filesystem::path file);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // Address of an exported symbol, or nullptr.
  void* symbol(const char* name) const;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  void* handle_ = nullptr;
};

}  // namespace recur
