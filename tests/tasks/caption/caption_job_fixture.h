// A fixture running the captioning job (tasks/caption/caption_job.cc) through run_job()
// on the fixture model folder (tests/data/fixtures/caption/), with the real opencv
// preprocessor reading PNG files written at test time. Warnings are captured.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <string>
#include <vector>

#include "attention_decoder.h"
#include "caption_task.h"
#include "cli/run_recur.h"
#include "cnn_encoder.h"
#include "encoders/cnn/caption_fixture.h"
#include "image_settings.h"
#include "recur/core/logging.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/runner.h"
#include "scene_png.h"
#include "vocab_tokenizer.h"

namespace recur::testing {

inline Registry caption_job_registry() {
  Registry registry;
  PluginRegistrar r(registry, "caption_job_test", "caption_job_fixture.h");
  r.add<Task>("captioning", &tasks::caption_task_factory);
  r.add<Encoder>("cnn", &encoders::cnn_factory);
  r.add<Decoder>("gru", &decoders::gru_decoder_factory);
  r.add<Tokenizer>("whitespace", &plugins::whitespace_tokenizer_factory);
  r.add<Preprocessor>("opencv", &plugins::opencv_preprocessor_factory);
  return registry;
}

struct JobResult {
  std::string out;
  std::string side;
  std::string warnings;
  JobCounts counts;
};

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class CaptionJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
    sink_->set_pattern("%v");
    log().sinks().push_back(sink_);
  }
  void TearDown() override { log().sinks().pop_back(); }

  // Writes the scene as dir/name and returns name.
  std::string scene(const std::string& name, const Scene& s) {
    write_bytes(dir_.path() / name, scene_png(s));
    return name;
  }

  // Runs the job over `lines` (the records of "list.txt", paths relative to the temp dir).
  JobResult run(const std::vector<std::string>& lines, JobRequest request = {},
                std::int64_t n_best = 1, JobOptions options = {}) {
    search::Options& so = pipeline_.search_options();
    so.n_best = n_best;
    request.files_relative_to = dir_.path();
    std::unique_ptr<BatchJob> job = pipeline_.task().make_job(pipeline_, request);
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    std::istringstream in(text);
    data::LineReader reader(in, "list.txt");
    std::ostringstream out, side;
    JobSinks sinks;
    sinks.main = &out;
    if (request.side_output) sinks.side = &side;
    log_.str("");
    run_job(*job, reader, sinks, options);
    return {out.str(), side.str(), log_.str(), job->counts()};
  }

  TempDir dir_;
  Registry registry_ = caption_job_registry();
  Pipeline pipeline_ = Pipeline::load(kCaptionFixtures / "pipeline.yaml", registry_);
  std::ostringstream log_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

}  // namespace recur::testing
