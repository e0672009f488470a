// The batch job of the captioning task: an image path in, its caption out, in input
// order. Paths are read on the main thread; images are decoded and stacked in the worker
// threads (the preprocessor is thread-safe), encoded by the image encoder and searched
// over the Decoder interface, many images per batch, greedy, beam or sampling alike.
//
// Output (TSV): "path<TAB>caption", "path<TAB>caption<TAB>score" with scores, or n lines
// "path<TAB>rank<TAB>caption<TAB>score" (rank 0-based) when n_best > 1. With JSON
// (JobRequest::json) one object per image: {"path", "caption", "score", "n_best":
// [{"caption", "score"}, ...]} and "error" when the image could not be used. An image
// that cannot be used (missing, undecodable, too large) gets an empty caption and a
// warning naming input:line, the path and why; in strict mode it is an error.
// The side file gets one attention JSON line per image: {"line", "path", "grid": [GH, GW],
// "words": [...], "attention": [[GH*GW weights] per generated word, eos last]}.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "image_records.h"
#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/pipeline.h"
#include "recur/search/confidence.h"
#include "recur/search/search.h"

namespace recur::tasks {

class CaptionJob final : public BatchJob {
 public:
  CaptionJob(Pipeline& pipeline, const JobRequest& request, search::Options search);

  void begin(std::size_t records, const std::string& input) override;
  std::int64_t prepare(std::size_t position, data::Line& record) override;
  void run(const std::vector<std::size_t>& positions) override;
  void write(std::size_t position, const JobSinks& sinks) override;
  std::size_t max_record_bytes() const override { return 16 * 1024; }

 private:
  struct Item {
    ImageRecord record;
    std::vector<std::int64_t> image_size;  // [H, W] of the encoded tensor
    std::int64_t positions = 0;            // memory positions S
    std::vector<search::Hypothesis> hyps;
    search::StepCandidates confidence;  // of the best caption, with --confidence
  };
  void write_text(const Item& item, std::ostream& out);
  void write_json(const Item& item, std::ostream& out);
  void write_attention(const Item& item, std::ostream& out);

  Pipeline& pipeline_;
  JobRequest request_;
  search::Options search_;
  std::string input_;
  std::vector<Item> items_;
};

}  // namespace recur::tasks
