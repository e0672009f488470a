#include "recur/core/atomic_file.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <string>

#include "recur/core/error.h"
#include "recur/core/logging.h"

namespace fs = std::filesystem;

namespace recur {

namespace {

[[noreturn]] void fail_errno(const fs::path& path, const std::string& what) {
  throw IoError(path.string() + ": " + what + ": " + std::strerror(errno));
}

// Digits only, parsed whole.
std::optional<long> parse_number(std::string_view s) {
  long v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (pid == ::getpid()) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

fs::path temporary_path(const fs::path& target) {
  static std::atomic<unsigned long> counter{0};
  fs::path tmp = target;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  return tmp;
}

std::optional<long> temporary_owner(const fs::path& file) {
  const std::string name = file.filename().string();
  // <target>.tmp.<pid>.<n>, with a non-empty target.
  const std::size_t last_dot = name.rfind('.');
  if (last_dot == std::string::npos || last_dot == 0 ||
      !parse_number(std::string_view(name).substr(last_dot + 1))) {
    return std::nullopt;
  }
  const std::size_t pid_dot = name.rfind('.', last_dot - 1);
  if (pid_dot == std::string::npos) return std::nullopt;
  const std::string_view head = std::string_view(name).substr(0, pid_dot);
  if (!head.ends_with(".tmp") || head.size() == 4) return std::nullopt;
  return parse_number(std::string_view(name).substr(pid_dot + 1, last_dot - pid_dot - 1));
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& dir) {
  std::vector<fs::path> removed;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) return removed;
  for (const fs::directory_entry& e : it) {
    std::optional<long> pid = temporary_owner(e.path());
    std::error_code type_ec;
    if (!pid || process_alive(*pid) || !e.is_regular_file(type_ec)) continue;
    if (fs::remove(e.path(), type_ec)) {
      log().info("removed {}, left by process {} (no longer running)", e.path().string(), *pid);
      removed.push_back(e.path());
    }
  }
  return removed;
}

void sync_parent_directory(const fs::path& path) {
  fs::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_errno(dir, "cannot open directory to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail_errno(dir, "cannot sync directory");
}

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)) {
  for (int attempt = 0;; ++attempt) {
    tmp_ = temporary_path(target_);
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) return;
    if (errno != EEXIST || attempt == 100) fail_errno(tmp_, "cannot create");
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_.c_str());
}

void AtomicFile::write(const void* data, std::size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t w = ::write(fd_, p, size);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) fail_errno(tmp_, "cannot write");
    p += w;
    size -= static_cast<std::size_t>(w);
  }
}

void AtomicFile::commit() {
  if (::fsync(fd_) != 0) fail_errno(tmp_, "cannot sync");
  int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) fail_errno(tmp_, "cannot close");
  if (::rename(tmp_.c_str(), target_.c_str()) != 0) {
    fail_errno(target_, "cannot rename " + tmp_.string() + " to it");
  }
  committed_ = true;
  sync_parent_directory(target_);
}

void write_file_atomically(const fs::path& target, std::string_view contents) {
  AtomicFile file(target);
  file.write(contents.data(), contents.size());
  file.commit();
}

}  // namespace recur
