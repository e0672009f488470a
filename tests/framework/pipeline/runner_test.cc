// The one runner with a job of its own: records come back in input order whatever the
// batching and the workers, unusable records keep their place, memory is bounded by
// the maxi-batch, long records are cut, and errors (a failed write, a worker's
// exception) are never swallowed.
#include "recur/pipeline/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "recur/core/error.h"

namespace recur {
namespace {

// Output: the record reversed, or "<empty>" for a blank one (which never runs).
class ReverseJob : public BatchJob {
 public:
  void begin(std::size_t records, const std::string&) override {
    items_.assign(records, {});
    max_held = std::max(max_held, records);
    ++maxi_batches;
  }
  std::int64_t prepare(std::size_t i, data::Line& record) override {
    items_[i].text = record.text;
    if (record.text.empty()) counts().add("empty");
    return static_cast<std::int64_t>(record.text.size());
  }
  void run(const std::vector<std::size_t>& positions) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t p : positions) {
      if (items_[p].text == "boom") throw std::runtime_error("boom in a worker");
      items_[p].out.assign(items_[p].text.rbegin(), items_[p].text.rend());
      items_[p].ran = true;
      batch_sizes.insert(positions.size());
    }
  }
  void write(std::size_t i, const JobSinks& sinks) override {
    *sinks.main << (items_[i].ran ? items_[i].out : std::string("<empty>")) << '\n';
  }
  std::size_t max_record_bytes() const override { return max_bytes; }

  std::size_t max_held = 0, maxi_batches = 0, max_bytes = 0;
  std::set<std::size_t> batch_sizes;

 private:
  struct Item {
    std::string text, out;
    bool ran = false;
  };
  std::vector<Item> items_;
  std::mutex mutex_;
};

std::string numbers(int n) {
  std::string s;
  for (int i = 1; i <= n; ++i) s += (i % 7 == 0 ? std::string() : std::string(static_cast<std::size_t>(i % 13 + 1), 'a' + static_cast<char>(i % 26))) + "\n";
  return s;
}

std::string expected(const std::string& input) {
  std::istringstream in(input);
  std::string out;
  for (std::string l; std::getline(in, l);) out += (l.empty() ? std::string("<empty>") : std::string(l.rbegin(), l.rend())) + "\n";
  return out;
}

std::string run(ReverseJob& job, const std::string& input, JobOptions o) {
  std::istringstream in(input);
  std::ostringstream out;
  data::LineReader reader(in, "in.txt");
  run_job(job, reader, main_sink(out, "out.txt"), o);
  return out.str();
}

TEST(Runner, OutputIsInInputOrderForAnyBatchingAndWorkers) {
  const std::string input = numbers(500);
  for (std::int64_t workers : {1, 3}) {
    for (std::int64_t tokens : {1, 20, 4096}) {
      ReverseJob job;
      JobOptions o;
      o.maxi_batch = 64;
      o.batch.max_tokens = tokens;
      o.workers = workers;
      EXPECT_EQ(run(job, input, o), expected(input)) << "workers " << workers << " tokens " << tokens;
      EXPECT_EQ(job.counts().get("records"), 500u);
      EXPECT_EQ(job.counts().get("empty"), 500u / 7);
    }
  }
}

TEST(Runner, HoldsAtMostOneMaxiBatch) {
  ReverseJob job;
  JobOptions o;
  o.maxi_batch = 50;
  run(job, numbers(1000), o);
  EXPECT_EQ(job.max_held, 50u);
  EXPECT_EQ(job.maxi_batches, 20u);
}

TEST(Runner, CheckpointsAfterEveryMaxiBatch) {
  std::istringstream in(numbers(120));
  std::ostringstream out;
  data::LineReader reader(in, "in.txt");
  ReverseJob job;
  JobOptions o;
  o.maxi_batch = 50;
  std::vector<std::uint64_t> seen;
  run_job(job, reader, main_sink(out, "out"), o, [&](std::uint64_t n) { seen.push_back(n); });
  EXPECT_EQ(seen, (std::vector<std::uint64_t>{50, 100, 120}));
}

TEST(Runner, LongRecordsAreCutAndCounted) {
  ReverseJob job;
  job.max_bytes = 8;
  const std::string out = run(job, "short\n" + std::string(100000, 'x') + "\nend\n", {});
  EXPECT_EQ(out, "trohs\n" + std::string(8, 'x') + "\ndne\n");
  EXPECT_EQ(job.counts().get("cut"), 1u);
  EXPECT_EQ(job.counts().warnings(), 1u);
}

TEST(Runner, AWorkersErrorIsRethrown) {
  ReverseJob job;
  JobOptions o;
  o.workers = 2;
  o.batch.max_tokens = 4;
  EXPECT_THROW(run(job, "ab\ncd\nboom\nef\n", o), std::runtime_error);
}

// A stream whose every write fails, like a full disk.
class FullBuffer : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  std::streamsize xsputn(const char*, std::streamsize) override { return 0; }
};

TEST(Runner, AFailedWriteIsAnIoErrorNamingTheFile) {
  FullBuffer full;
  std::ostream out(&full);
  std::istringstream in("a\nb\n");
  data::LineReader reader(in, "in.txt");
  ReverseJob job;
  try {
    run_job(job, reader, main_sink(out, "out.txt"), {});
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("out.txt: write error"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recur
