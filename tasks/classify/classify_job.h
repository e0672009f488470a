// The batch job of the classification task: a line of text in, its label out.
//
// Output: `label<TAB>probability` (the most probable class), or with --json one object
// per line: {"label": ..., "probability": ..., "probabilities": {label: p, ...}}. A blank
// line gets an empty line (an empty object with --json): record i always answers line i.
#pragma once

#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "classifier_head.h"
#include "recur/pipeline/batch_job.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/text_job.h"

namespace recur::tasks {

struct ClassifyItem {
  std::uint64_t line = 0;
  std::vector<std::int64_t> ids;  // source ids incl. eos; empty for blank lines
  std::vector<float> probabilities;
};

class ClassifyJob final : public TextJob<ClassifyItem> {
 public:
  ClassifyJob(Pipeline& pipeline, ClassifierHead& head, std::vector<std::string> labels, const JobRequest& request);

  void run(const std::vector<std::size_t>& positions) override;
  void write(std::size_t position, const JobSinks& sinks) override;

 private:
  void write_json(const ClassifyItem& item, std::size_t best, std::ostream& out) const;

  ClassifierHead& head_;
  std::vector<std::string> labels_;
};

// The index of the largest score (the first on ties).
std::size_t best_class(std::span<const float> scores);

}  // namespace recur::tasks
