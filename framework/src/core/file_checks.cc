#include "recur/core/file_checks.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "recur/core/error.h"

namespace fs = std::filesystem;

namespace recur {

const char* file_type_name(unsigned mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "an unknown kind of file";
}

void check_regular_file(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    throw IoError(file.string() + ": cannot stat: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    throw IoError(file.string() + ": not a regular file (" + file_type_name(st.st_mode) + ")");
  }
}

fs::path check_inside(const fs::path& base, const fs::path& file) {
  const fs::path real_base = fs::weakly_canonical(fs::absolute(base));
  const fs::path real_file = fs::weakly_canonical(fs::absolute(base / file));
  // Component-wise: /models/en is not inside /models/e.
  auto b = real_base.begin(), f = real_file.begin();
  for (; b != real_base.end() && f != real_file.end() && *b == *f; ++b, ++f) {
  }
  const bool base_done = b == real_base.end() || (b->empty() && std::next(b) == real_base.end());
  if (!base_done || f == real_file.end()) {
    throw IoError(file.string() + ": outside " + base.string() + " (it resolves to " +
                  real_file.string() + ")");
  }
  return real_file;
}

}  // namespace recur
