#include "file_trust.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace fs = std::filesystem;

namespace recur {

namespace {

std::string mode_string(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string writable_by_others(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";  // dlopen names a missing file
  if (st.st_mode & S_IWOTH) {
    return path.string() + " is writable by others (mode " + mode_string(st.st_mode) + ")";
  }
  if ((st.st_mode & S_IWGRP) && st.st_gid != 0 && st.st_gid != ::getgid()) {
    return path.string() + " is writable by its group " + std::to_string(st.st_gid) +
           ", neither root's nor this process's (mode " + mode_string(st.st_mode) + ")";
  }
  return "";
}

}  // namespace

std::string untrusted_reason(const fs::path& file) {
  // The file as named (its mode is its target's) and the directory naming it: whoever
  // may write there chooses what a symbolic link points to. Then the real file's
  // directory, where the code itself lives.
  std::error_code ec;
  const fs::path named = fs::absolute(file, ec).lexically_normal();
  const fs::path real = fs::weakly_canonical(named, ec);
  for (const fs::path& p : {named, named.parent_path(), ec ? fs::path() : real.parent_path()}) {
    if (p.empty()) continue;
    if (std::string why = writable_by_others(p); !why.empty()) {
      return why + "; refusing to load code anyone else may have changed";
    }
  }
  return "";
}

}  // namespace recur
