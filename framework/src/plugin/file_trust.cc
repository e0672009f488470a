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
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(fs::absolute(file), ec);
  const fs::path& f = ec ? file : real;
  std::string why = writable_by_others(f);
  if (why.empty()) why = writable_by_others(f.parent_path());
  return why.empty() ? why : why + "; refusing to load code anyone else may have changed";
}

}  // namespace recur
