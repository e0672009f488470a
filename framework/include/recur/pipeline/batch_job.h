// What a task does with the records of a batch job; the runner (runner.h) does the rest.
//
// The runner reads a maxi-batch of records, hands each to prepare() (check, tokenize,
// crop: single-threaded, in input order), cuts the prepared records into mini-batches by
// the sizes prepare() returned, calls run() on each mini-batch (on several worker
// threads at once: run() must only touch the records it is given), then calls write()
// for every record in input order. Record i's output therefore always answers input
// record i, whatever the batching, and a record the model cannot take (empty, invalid)
// still gets its (empty or flagged) output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "recur/data/line_reader.h"

namespace recur {

// Where a job writes: the main output and, optionally, side files (attention JSON lines,
// confidence JSON lines), all in input order.
struct JobSinks {
  std::ostream* main = nullptr;
  std::string main_name = "<stdout>";  // for messages
  std::ostream* side = nullptr;
  std::string side_name;
  std::ostream* confidence = nullptr;  // JobRequest::confidence_top_k > 0 (since ABI 4.2)
  std::string confidence_name;
};

// Sinks with only a main output named `name` (validation during training, tests).
inline JobSinks main_sink(std::ostream& out, std::string name) {
  JobSinks sinks;
  sinks.main = &out;
  sinks.main_name = std::move(name);
  return sinks;
}

// Counters a job keeps for its summary ("empty", "invalid UTF-8", "cropped", ...);
// the runner adds "records". Warnings are the counters a job names as such.
struct JobCounts {
  std::string noun = "records";  // what a record is, for the summary ("lines", "images")
  std::map<std::string, std::uint64_t> counts;
  std::vector<std::string> warning_keys;
  void add(const std::string& key, std::uint64_t n = 1) { counts[key] += n; }
  std::uint64_t get(const std::string& key) const;
  std::uint64_t warnings() const;
};

class BatchJob {
 public:
  virtual ~BatchJob();

  // A new maxi-batch of `records` records (positions 0 .. records-1) read from `input`
  // (a file name or "<stdin>", for messages).
  virtual void begin(std::size_t records, const std::string& input) = 0;
  // Prepares the record at `position`; returns its size for batching (e.g. tokens), or 0
  // when the model need not run on it (its output is written from what prepare() kept).
  virtual std::int64_t prepare(std::size_t position, data::Line& record) = 0;
  // Runs the model on the records at `positions` (one mini-batch). Called from worker
  // threads, concurrently for disjoint mini-batches.
  virtual void run(const std::vector<std::size_t>& positions) = 0;
  // Writes the output of the record at `position`, in input order.
  virtual void write(std::size_t position, const JobSinks& sinks) = 0;
  // The most bytes of a record worth reading (0: no bound). Longer records are cut, at
  // a UTF-8 boundary, with a warning: a record's cost must not scale with its length
  // when the model reads only its start.
  virtual std::size_t max_record_bytes() const { return 0; }

  JobCounts& counts() { return counts_; }
  const JobCounts& counts() const { return counts_; }

 private:
  JobCounts counts_;
};

}  // namespace recur
