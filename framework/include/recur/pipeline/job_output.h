// The files a batch job writes, safe to kill and to resume.
//
// Until the job finishes, each output is written to NAME.partial, never to NAME, so a
// killed job, a full disk or a crash never leaves a file that looks complete. After
// each maxi-batch the job's progress (records done, bytes of each file) goes to the
// journal NAME.progress (written to a temporary name and renamed, so it is always
// whole). A job started again with `resume` and the same fingerprint (model, input,
// flags) cuts the partial files back to the journal's sizes and skips the records
// already done, so its output is byte-identical to an uninterrupted run. commit()
// renames the partial files to their names and removes the journal.
//
// A second job writing the same output is refused: the first holds a lock (flock) on
// NAME.partial. An output that exists and is not a regular file (/dev/null, a FIFO,
// a terminal) is written directly, and cannot be resumed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace recur {

class JobOutput {
 public:
  // `paths`: the job's output files, the main one first (its name carries the lock and
  // the journal). `fingerprint`: what makes two runs the same job. With `resume`, an
  // existing journal of the same job is continued (a journal of another job is an
  // IoError); without, an unfinished job's files are discarded with a warning.
  JobOutput(std::vector<std::filesystem::path> paths, std::string fingerprint, bool resume);
  ~JobOutput();
  JobOutput(const JobOutput&) = delete;
  JobOutput& operator=(const JobOutput&) = delete;

  std::ostream& stream(std::size_t index);
  // Records written by an earlier run of this job (0 unless resuming): skip them.
  std::uint64_t records_done() const { return records_done_; }
  // After a maxi-batch, once its output is flushed: `records` in all (earlier runs included).
  void checkpoint(std::uint64_t records);
  // The job finished: every partial file gets its name. IoError on a failed write.
  void commit();

  static std::filesystem::path partial_path(const std::filesystem::path& path);
  static std::filesystem::path journal_path(const std::filesystem::path& path);

 private:
  struct File;
  void read_journal(const std::string& fingerprint);
  void write_journal(std::uint64_t records);

  // The locked descriptor of the main partial file; a member of its own so that it is
  // closed (and the lock released) when the constructor throws too.
  struct Lock {
    int fd = -1;
    ~Lock();
  };

  Lock lock_;
  std::vector<std::unique_ptr<File>> files_;
  std::string fingerprint_hash_;
  std::uint64_t records_done_ = 0;
  bool journaled_ = false;  // false when the main output is written directly
};

}  // namespace recur
