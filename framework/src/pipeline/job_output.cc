#include "recur/pipeline/job_output.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

#include "recur/core/error.h"
#include "recur/core/logging.h"

namespace recur {

namespace fs = std::filesystem;

struct JobOutput::File {
  fs::path path;
  fs::path written;  // the partial file, or path itself when written directly
  std::ofstream stream;
  std::uint64_t resume_size = 0;
};

namespace {

std::string errno_text() { return std::strerror(errno); }

// FNV-1a: stable across builds and runs, unlike std::hash.
std::string hash_hex(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// An existing path that is not a regular file (a device, a FIFO, a terminal).
bool special_file(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

constexpr const char* kJournalTag = "recur-job-progress 1";

}  // namespace

fs::path JobOutput::partial_path(const fs::path& p) { return p.string() + ".partial"; }
fs::path JobOutput::journal_path(const fs::path& p) { return p.string() + ".progress"; }

JobOutput::JobOutput(std::vector<fs::path> paths, std::string fingerprint, bool resume)
    : fingerprint_hash_(hash_hex(fingerprint)) {
  if (paths.empty()) throw Error("JobOutput: no output file");
  journaled_ = !special_file(paths.front());
  for (const auto& p : paths) {
    auto f = std::make_unique<File>();
    f->path = p;
    f->written = (journaled_ && !special_file(p)) ? partial_path(p) : p;
    files_.push_back(std::move(f));
  }
  if (!journaled_) {
    if (resume) throw IoError(paths.front().string() + ": not a regular file: a job writing to it cannot be resumed");
  } else {
    const fs::path lock = files_.front()->written;
    lock_.fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_.fd < 0) throw IoError(lock.string() + ": cannot create: " + errno_text());
    if (::flock(lock_.fd, LOCK_EX | LOCK_NB) != 0) {
      throw IoError(paths.front().string() + ": another recur job is writing it (" + lock.string() + " is locked)");
    }
    const fs::path journal = journal_path(paths.front());
    if (resume && fs::exists(journal)) {
      read_journal(fingerprint);
    } else if (resume) {
      log().info("{}: no progress journal: starting from the first record", paths.front().string());
    } else if (fs::exists(journal)) {
      log().warn("{}: discarding the output of an unfinished job (run with --resume to continue it)",
                 paths.front().string());
    }
  }
  for (auto& f : files_) {
    if (f->written != f->path || !special_file(f->path)) {
      std::error_code ec;
      if (fs::exists(f->written)) {
        fs::resize_file(f->written, f->resume_size, ec);
        if (ec) throw IoError(f->written.string() + ": cannot truncate: " + ec.message());
      }
    }
    f->stream.open(f->written, std::ios::binary | std::ios::app);
    if (!f->stream) throw IoError(f->written.string() + ": cannot open for writing: " + errno_text());
  }
  if (journaled_) write_journal(records_done_);
}

JobOutput::~JobOutput() = default;

JobOutput::Lock::~Lock() {
  if (fd >= 0) ::close(fd);
}

std::ostream& JobOutput::stream(std::size_t index) { return files_.at(index)->stream; }

void JobOutput::read_journal(const std::string& fingerprint) {
  const fs::path journal = journal_path(files_.front()->path);
  std::ifstream in(journal);
  std::string tag, hash;
  std::uint64_t records = 0;
  std::getline(in, tag);
  in >> hash >> records;
  std::vector<std::uint64_t> sizes(files_.size());
  for (auto& s : sizes) in >> s;
  if (!in || tag != kJournalTag) throw IoError(journal.string() + ": not a recur progress journal (remove it to start over)");
  if (hash != hash_hex(fingerprint)) {
    throw IoError(journal.string() + ": written by a different job (model, input or flags differ); "
                  "run without --resume to start over");
  }
  for (std::size_t i = 0; i < files_.size(); ++i) {
    File& f = *files_[i];
    std::error_code ec;
    const auto have = fs::file_size(f.written, ec);
    if (ec || have < sizes[i]) {
      throw IoError(f.written.string() + ": shorter than its progress journal says (" + std::to_string(sizes[i]) +
                    " bytes): cannot resume; run without --resume to start over");
    }
    f.resume_size = sizes[i];
  }
  records_done_ = records;
  log().info("{}: resuming after record {}", files_.front()->path.string(), records);
}

void JobOutput::write_journal(std::uint64_t records) {
  const fs::path journal = journal_path(files_.front()->path);
  const fs::path tmp = journal.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kJournalTag << "\n" << fingerprint_hash_ << "\n" << records << "\n";
    for (auto& f : files_) {
      std::error_code ec;
      const auto size = fs::file_size(f->written, ec);  // after the flush: what is on disk
      out << (ec ? 0 : size) << "\n";
    }
    out.flush();
    if (!out) throw IoError(tmp.string() + ": write error (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, journal, ec);
  if (ec) throw IoError(journal.string() + ": cannot write: " + ec.message());
}

void JobOutput::checkpoint(std::uint64_t records) {
  for (auto& f : files_) {
    f->stream.flush();
    if (!f->stream) throw IoError(f->path.string() + ": write error (disk full?)");
  }
  if (journaled_) write_journal(records);
}

void JobOutput::commit() {
  for (auto& f : files_) {
    f->stream.close();
    if (f->stream.fail()) throw IoError(f->path.string() + ": write error (disk full?)");
  }
  if (!journaled_) return;
  for (auto& f : files_) {
    if (f->written == f->path) continue;
    std::error_code ec;
    fs::rename(f->written, f->path, ec);
    if (ec) throw IoError(f->path.string() + ": cannot rename " + f->written.string() + " to it: " + ec.message());
  }
  std::error_code ec;
  fs::remove(journal_path(files_.front()->path), ec);
}

}  // namespace recur
