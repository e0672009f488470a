// kill -9 during `recur train`, at random moments, then `--resume`, again and again: the
// logs, checkpoints and model equal those of a run never interrupted (issue 18, item 8).
// Set RECUR_KILL_SEED to replay the moments of a failing run.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/run_recur.h"
#include "tiny_run.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

RunResult train(const fs::path& dir, bool resume, std::optional<std::chrono::milliseconds> kill) {
  std::vector<std::string> args{"train", (dir / "tiny.yaml").string(), "-o", (dir / "model").string()};
  if (resume) args.push_back("--resume");
  RunOptions o;
  o.kill_after = kill;
  return run_recur(args, o);
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// train_log.csv without tokens_per_s, a timing.
std::string without_speed(const std::string& csv) {
  std::istringstream in(csv);
  std::string out, line;
  while (std::getline(in, line)) out += line.substr(0, line.rfind(',')) + "\n";
  return out;
}

TEST(TrainKill, KilledAndResumedRunsEndExactlyLikeAnUninterruptedOne) {
  TempDir root;
  const fs::path straight = make_tiny_run(root.path(), "straight");
  const auto start = std::chrono::steady_clock::now();
  RunResult r = train(straight, false, std::nullopt);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);

  const char* seed_env = std::getenv("RECUR_KILL_SEED");
  const unsigned seed = seed_env ? static_cast<unsigned>(std::atoi(seed_env)) : std::random_device{}();
  SCOPED_TRACE("RECUR_KILL_SEED=" + std::to_string(seed));
  std::mt19937 rng(seed);
  // Kill within the first 60% of a full run's time (start-up included), so that the
  // first attempt at least is killed however the machine's load varies. An attempt that
  // finishes is fine: the next resumes a finished run, which must change nothing.
  std::uniform_int_distribution<long> moment(full.count() / 20, full.count() * 6 / 10);

  const fs::path killed = make_tiny_run(root.path(), "killed");
  int kills = 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const bool resume = fs::exists(killed / "ckpt" / "last.safetensors");
    RunResult k = train(killed, resume, std::chrono::milliseconds(moment(rng)));
    if (k.killed) {
      ++kills;
    } else {
      ASSERT_EQ(k.code, 0) << k.err;
    }
  }
  RunResult last = train(killed, fs::exists(killed / "ckpt" / "last.safetensors"), std::nullopt);
  ASSERT_EQ(last.code, 0) << last.err;
  EXPECT_GE(kills, 1);

  EXPECT_EQ(without_speed(read(killed / "ckpt" / "train_log.csv")),
            without_speed(read(straight / "ckpt" / "train_log.csv")));
  EXPECT_EQ(read(killed / "ckpt" / "valid_log.csv"), read(straight / "ckpt" / "valid_log.csv"));
  for (const char* file : {"ckpt/last.safetensors", "ckpt/best.safetensors", "model/model.safetensors"}) {
    EXPECT_TRUE(read(killed / file) == read(straight / file)) << file << " differs";
  }
  for (const auto& e : fs::directory_iterator(killed / "ckpt")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos)
        << "left behind: " << e.path();
  }
}

}  // namespace
}  // namespace recur::testing
