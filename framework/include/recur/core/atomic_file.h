// Atomic file replacement and the debris a killed writer leaves. A file is written to a
// temporary name beside it, synced and renamed over it, so a reader (or a run resumed
// after kill -9) sees the old file or the new one, never half of one. Temporary names
// are "<target>.tmp.<pid>.<n>": a later run finds them, and removes those whose writer
// is gone (remove_stale_temporaries).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

namespace recur {

// "<target>.tmp.<pid>.<n>", a fresh n for every call in this process.
std::filesystem::path temporary_path(const std::filesystem::path& target);

// The process id in a name temporary_path() made, or nullopt for any other name.
std::optional<long> temporary_owner(const std::filesystem::path& file);

// Removes the regular files directly in `dir` named by temporary_path() whose process is
// no longer running (kill -9, a crash, a power cut), logs each at info and returns them.
// Temporaries of live processes (this one included) stay. A missing `dir` is no error.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& dir);

// A file being written under a temporary name, renamed over `target` by commit().
// Destroyed without commit() (an exception), it removes the temporary. Errors are
// IoError naming the file.
class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path target);  // creates temporary_path(target)
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  // fsync, close, rename over the target, fsync of the directory.
  void commit();
  const std::filesystem::path& temporary() const { return tmp_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path tmp_;
  int fd_ = -1;
  bool committed_ = false;
};

// Replaces `target` with `contents` atomically (temporary file, fsync, rename, fsync of
// the directory). IoError naming the file on failure; the temporary is then removed.
void write_file_atomically(const std::filesystem::path& target, std::string_view contents);

// fsync of the directory holding `path`, so that a rename into it survives a crash.
void sync_parent_directory(const std::filesystem::path& path);

}  // namespace recur
